# RNN Weather Lab: the Streamlit app in a container, following Streamlit's documented pattern
# (docs.streamlit.io "Deploy Streamlit using Docker"): a slim Python base, port 8501, a
# HEALTHCHECK on /_stcore/health and `streamlit run` as the entry point; plus a non-root user.
#
#   docker build -t rnn-weather-lab .
#   docker run -p 8501:8501 -e RNN_LAB_WORKERS=2 rnn-weather-lab
#
# RNN_LAB_WORKERS: training worker processes (default: the cores the container may use by
# affinity; a --cpus / Kubernetes CPU limit is a quota, not affinity, so set it to match).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# curl for the HEALTHCHECK (the slim image has none)
RUN apt-get update && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*

# Streamlit cannot run from /: the app lives in /app
WORKDIR /app

# The pinned runtime requirements first, so code changes do not reinstall them
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Run as an unprivileged user; it owns nothing in /app (the code is read-only to it).
# Streamlit keeps a little state in ~/.streamlit, Meteostat's cache lives under /tmp.
RUN useradd --create-home --uid 10001 weather
COPY . .
USER weather

EXPOSE 8501

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD curl --fail http://localhost:8501/_stcore/health

ENTRYPOINT ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
