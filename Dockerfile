# The bot as an image: webhook or polling, /healthz and /metrics on port 8080, and the report's
# PDF (LibreOffice Writer and the Traditional Chinese fonts the DOCX names).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BOT_DATA_DIR=/data BOT_CONTENT_DIR=/app/content \
    BOT_HTTP_HOST=0.0.0.0 BOT_HTTP_PORT=8080 BOT_LOG_FORMAT=json

# fonts-arphic-ukai is "AR PL UKai TW", the free 標楷體 the DOCX falls back to; Noto CJK covers
# the rest. No recommends: no X11, no Java.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY emulator ./emulator
COPY content ./content
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin delegation \
    && mkdir -p /data && chown delegation:delegation /data && chmod 0700 /data

USER delegation
VOLUME ["/data"]
EXPOSE 8080
# 503 (what failed is in the body) or no answer makes the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('BOT_HTTP_PORT', '8080'), timeout=4)"
# SIGTERM: no new updates, those in flight finish, then exit.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
