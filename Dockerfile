# syntax=docker/dockerfile:1
# One image in two flavours:
#   runtime  (default): the CLI for the scheduler, the migrate one-shot, cron runs and Dask
#   trainer:            the same plus the CUDA libraries TensorFlow needs on an NVIDIA GPU
# Nothing secret is baked in: DATABASE_URL and the Spotify credentials come from the
# environment when a container starts (see docker-compose.yml and .env.example).

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH \
    BEATCLASSIFIER_DATA_DIR=/var/lib/beatclassifier
RUN groupadd --system --gid 10001 beatclassifier \
 && useradd --system --uid 10001 --gid beatclassifier \
      --home-dir /var/lib/beatclassifier --create-home beatclassifier

# Build stage: a virtual environment with the project and its dependencies.
FROM base AS build
RUN python -m venv /opt/venv
WORKDIR /src
COPY . .
RUN pip install ".[dask]"

# GPU build: the same environment plus TensorFlow's CUDA wheels, pinned to the same version.
FROM build AS build-gpu
RUN pip install "tensorflow[and-cuda]==$(python -c 'import importlib.metadata as m; print(m.version("tensorflow"))')"

FROM base AS trainer
COPY --from=build-gpu /opt/venv /opt/venv
USER beatclassifier
WORKDIR /var/lib/beatclassifier
ENTRYPOINT ["beatclassifier"]
CMD ["worker"]

# Last stage = the default target of `docker build .`.
FROM base AS runtime
COPY --from=build /opt/venv /opt/venv
USER beatclassifier
WORKDIR /var/lib/beatclassifier
ENTRYPOINT ["beatclassifier"]
CMD ["scheduler"]
