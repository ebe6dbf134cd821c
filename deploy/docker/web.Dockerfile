# syntax=docker/dockerfile:1
# The web app (React build) on unprivileged nginx, port 8080. The API is not served here: the
# load balancer routes /api and /media to the gateway.
# Build from the repository root:  docker build -f deploy/docker/web.Dockerfile -t kinora-web .

# --- build: the repository's own web build script on Debian 12 with Node.js -----------------
FROM node:20.19-bookworm-slim AS build
WORKDIR /src
# The locked dependencies first, so this layer is reused until package-lock.json changes.
COPY web/package.json web/package-lock.json web/
RUN npm ci --prefix web --no-audit --no-fund --loglevel=error
COPY web web
COPY scripts/build_web.sh scripts/build_web.sh
RUN bash scripts/build_web.sh

# --- runtime: nginx as uid 101 ----------------------------------------------------------------
FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
# The base image's packages at their latest security fixes (the image scan fails on fixable
# HIGHs); then back to nginx's unprivileged user.
USER root
RUN apk upgrade --no-cache
COPY deploy/docker/nginx/default.conf /etc/nginx/conf.d/default.conf
COPY deploy/docker/nginx/security-headers.conf /etc/nginx/snippets/security-headers.conf
COPY --from=build /src/web/dist /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
