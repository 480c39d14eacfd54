"""The outbox: everything the bot pushes goes out through one pacer, on one schedule."""
