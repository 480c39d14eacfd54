"""The bot's own HTTP server for production: Telegram's webhook, /healthz and /metrics."""
