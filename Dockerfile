# RNN Weather Lab: the Streamlit app in a container, following Streamlit's documented pattern
# (docs.streamlit.io "Deploy Streamlit using Docker"): a slim Python base, port 8501, a
# HEALTHCHECK on /_stcore/health and `streamlit run` as the entry point; plus a non-root user.
# `hadolint Dockerfile` reports nothing (tests/deploy/test_container_cmd.py runs it).
#
#   docker build -t rnn-weather-lab .
#   docker run -p 8501:8501 -e RNN_LAB_WORKERS=2 rnn-weather-lab
#
# RNN_LAB_WORKERS: training worker processes (default: the cores the container may use, capped
# by its CPU quota: docker run --cpus, a Kubernetes CPU limit).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RNN_LAB_DATA_DIR=/home/weather/.rnn-lab

# Streamlit cannot run from /: the app lives in /app
WORKDIR /app

# The pinned runtime requirements first, so code changes do not reinstall them; then an
# unprivileged user that owns nothing in /app (the code is read-only to it). Streamlit keeps a
# little state in ~/.streamlit, Meteostat's cache lives under /tmp, the runs' SQLite file in
# RNN_LAB_DATA_DIR (mount a volume there to keep it, or set RNN_LAB_DATABASE_URL).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt \
 && useradd --create-home --uid 10001 weather
COPY . .
USER 10001

EXPOSE 8501

# Python's own HTTP client probes the health endpoint (no curl, so no apt packages to pin);
# an error or a non-200 answer raises, and the non-zero exit marks the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]

ENTRYPOINT ["streamlit", "run", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
