# syntax=docker/dockerfile:1.7
# One image for the Dagster webserver, daemon, gRPC code server, every run, the HTTP API and
# MLflow. The role is chosen by the ECS task definition's command and FACTURAS_ROLE.
#   docker build -t facturas:$(git rev-parse --short HEAD) .

# Both stages share one base image (same glibc and Python ABI as the copied virtualenv).
# ---- build: resolve the project against the lock file into a self-contained virtualenv ----
FROM python:3.11.13-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Dependencies first (their layer is reused while only the code changes). The lock file is a
# constraints file: only what pyproject.toml asks for is installed, at the locked versions;
# dev-only entries of the lock (pytest, moto, ruff...) never reach the image.
COPY requirements.lock pyproject.toml ./
RUN mkdir -p facturas_assets && touch facturas_assets/__init__.py README.md \
    && pip install --constraint requirements.lock . \
    && pip uninstall --yes facturas
COPY facturas_assets ./facturas_assets
RUN pip install --constraint requirements.lock --no-deps . \
    && pip check

# ---- runtime: system packages from the shared script, the venv, no compilers ----
FROM python:3.11.13-slim-bookworm AS runtime
LABEL org.opencontainers.image.title="facturas" \
      org.opencontainers.image.description="Dagster invoice data platform (textil)"
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Tesseract (+spa), poppler, fonts: the same list the Makefile installs, so they cannot drift.
COPY scripts/install-system-packages.sh /tmp/install-system-packages.sh
RUN bash /tmp/install-system-packages.sh runtime \
    && rm /tmp/install-system-packages.sh \
    && tesseract --list-langs | grep -qx spa \
    && groupadd --system --gid 10001 facturas \
    && useradd --system --uid 10001 --gid facturas --home-dir /opt/dagster --create-home \
       --shell /usr/sbin/nologin facturas

COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FACTURAS_ENV=prod \
    FACTURAS_HOME=/tmp/facturas \
    FACTURAS_ROLE=api \
    DAGSTER_HOME=/opt/dagster/dagster_home \
    MPLCONFIGDIR=/tmp/matplotlib \
    KERAS_HOME=/tmp/keras \
    XDG_CACHE_HOME=/tmp/cache

# The production instance and workspace (read only because DAGSTER_HOME points here).
COPY --chown=root:root dagster.yaml /opt/dagster/dagster_home/dagster.yaml
COPY --chown=root:root deploy/workspace.prod.yaml /opt/dagster/workspace.yaml
COPY --chown=root:root deploy/healthcheck.py deploy/mlflow_server.py deploy/bootstrap_mysql.py \
     /opt/facturas/deploy/
# Writable for the run user; ECS mounts task volumes here and on /tmp (read-only root).
RUN install -d -o 10001 -g 10001 /opt/dagster/dagster_home/storage

USER 10001:10001
WORKDIR /opt/dagster
EXPOSE 3000 4000 5000 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["python", "/opt/facturas/deploy/healthcheck.py"]

# Default role: the HTTP API. ECS task definitions override the command per role:
#   webserver   dagster-webserver -h 0.0.0.0 -p 3000 -w /opt/dagster/workspace.yaml
#   daemon      dagster-daemon run -w /opt/dagster/workspace.yaml
#   code-server dagster code-server start -h 0.0.0.0 -p 4000 -m facturas_assets.definitions
#   mlflow      python /opt/facturas/deploy/mlflow_server.py
#   migrations  python -m facturas_assets.db.migrate upgrade
CMD ["uvicorn", "facturas_assets.api.app:app", "--host", "0.0.0.0", "--port", "8000", \
     "--proxy-headers", "--forwarded-allow-ips", "*"]
