# syntax=docker/dockerfile:1
# The kinora binary (every role: serve, gateway, uploader, analytics, processor).
# Build from the repository root:  docker build -f deploy/docker/kinora.Dockerfile -t kinora .

# --- build: Debian 12 with the repository's own setup and build scripts ---------------------
FROM debian:12.11 AS build
WORKDIR /src
# The dependencies first, so this layer is reused until the setup script changes.
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
# The `image` preset: Release, warnings as errors, only the kinora target.
RUN bash scripts/build.sh image \
 && objcopy --strip-debug build/image/apps/kinora/kinora /kinora \
 && bash deploy/docker/runtime-packages.sh /kinora > /runtime-packages.txt

# --- runtime: slim Debian with only the shared libraries the binary links -------------------
FROM debian:12.11-slim AS runtime
COPY --from=build /runtime-packages.txt /tmp/runtime-packages.txt
# ca-certificates: TLS to AWS; curl: the HEALTHCHECK. The upgrade takes the base image's own
# packages to their latest security fixes (the pipeline's image scan fails on fixable HIGHs).
RUN apt-get update \
 && apt-get upgrade -y --no-install-recommends \
 && xargs -a /tmp/runtime-packages.txt apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt \
 && groupadd --gid 1000 kinora \
 && useradd --uid 1000 --gid 1000 --home-dir /var/lib/kinora --no-create-home --shell /usr/sbin/nologin kinora \
 && install -d -o 1000 -g 1000 -m 0750 /var/lib/kinora
COPY --from=build /kinora /usr/local/bin/kinora
# Listen on every interface inside the container; scratch space and the embedded backends'
# files go to /var/lib/kinora (an emptyDir or volume when the root filesystem is read-only).
ENV KINORA_LISTEN=0.0.0.0:8080 \
    KINORA_DATA_DIR=/var/lib/kinora
USER 1000:1000
WORKDIR /var/lib/kinora
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/health"]
ENTRYPOINT ["kinora"]
CMD ["serve"]
