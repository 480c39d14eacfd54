FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    BOT_DATA_DIR=/data BOT_CONTENT_DIR=/app/content

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY content ./content
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app delegation \
    && mkdir -p /data && chown delegation /data

USER delegation
VOLUME ["/data"]
# SIGTERM lets run_polling finish in-flight updates and confirm the offset.
STOPSIGNAL SIGTERM
CMD ["python", "-m", "bot", "run"]
