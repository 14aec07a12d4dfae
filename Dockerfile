FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MOCKAPI_HOST=0.0.0.0 \
    MOCKAPI_PORT=8080

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockapi ./mockapi
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin mockapi \
    && install -d -o mockapi -g mockapi /state

USER 10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('MOCKAPI_PORT', '8080') + '/_mockapi/health', timeout=2)"]
CMD ["mockapi", "serve"]
