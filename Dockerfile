# syntax=docker/dockerfile:1
#
# Promptsmith container image: one executable, `promptsmith`, for every role —
#   docker run IMAGE                                   # the HTTP API on 0.0.0.0:8080 (CMD below)
#   docker run IMAGE serve --env production --hostname 0.0.0.0 --port 8080
#   docker run IMAGE worker                            # the job worker
#   docker run IMAGE migrate --yes                     # schema migrations
#   docker run -i IMAGE company create --name Acme --admin-email a@acme.example --admin-password-stdin
# Configuration is environment variables only (docs/operations.md lists them all).
#
# The build and run commands are the ones README.md and scripts/ use (`swift build -c release
# --product promptsmith`, `promptsmith serve --hostname --port`), so CI exercises them.
#
# The build and runtime images must share a distribution (the binary links the distribution's
# glibc, libstdc++ and zlib dynamically; the Swift runtime and Foundation are linked statically).
# Pairs that work: swift:6.3-noble + ubuntu:noble (default), swift:6.3-bookworm + debian:bookworm-slim.
ARG SWIFT_IMAGE=swift:6.3-noble
ARG RUNTIME_IMAGE=ubuntu:noble

# ================================
# Build stage
# ================================
FROM ${SWIFT_IMAGE} AS build
WORKDIR /build

# Resolve dependencies in a layer of their own: it is reused until Package.swift changes.
# (Package.resolved is not committed — see .dockerignore — so versions resolve from the manifest's
# ranges. Once a Package.resolved with upstream revisions is committed, copy it here too and add
# `--force-resolved-versions`.)
COPY Package.swift ./
RUN swift package resolve

# Then the sources, and a release build with the Swift runtime linked statically.
COPY . .
RUN swift build -c release --static-swift-stdlib --product promptsmith \
  && bin="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
  && mkdir -p /staging \
  && cp "$bin/promptsmith" /staging/ \
  # SwiftPM resource bundles (promptsmith_App.resources: openapi.yaml; promptsmith_Tokenizer.resources:
  # the cl100k_base and o200k_base vocabularies; and any bundle added later). The executable finds
  # them next to itself, so they go in the same folder. Test targets' bundles are not built here.
  && find -L "$bin" -maxdepth 1 -name '*.resources' -type d -exec cp -R {} /staging/ \; \
  && test -f /staging/promptsmith_App.resources/openapi.yaml \
  && test -f /staging/promptsmith_Tokenizer.resources/cl100k_base.tiktoken \
  && test -f /staging/promptsmith_Tokenizer.resources/o200k_base.tiktoken \
  # The static crash backtracer, so that a crash prints a symbolicated backtrace.
  && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/ \
  && chmod -R a-w /staging

# ================================
# Runtime stage
# ================================
FROM ${RUNTIME_IMAGE}

# ca-certificates: TLS to Jira, Teamwork, S3; tzdata: time zones for /stats/summary?tz=;
# curl: the HEALTHCHECK. No libcurl/libxml2 for Foundation: the code imports neither
# FoundationNetworking nor FoundationXML (HTTP goes through AsyncHTTPClient). Versions are not
# pinned on purpose: each build takes the distribution's current security updates.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
  && apt-get -q update \
  && apt-get -q dist-upgrade -y \
  && apt-get -q install -y --no-install-recommends ca-certificates tzdata curl libstdc++6 zlib1g \
  && rm -rf /var/lib/apt/lists/*

# A fixed non-root user (uid 10001) so that volume ownership and `runAsNonRoot` are predictable.
RUN groupadd --system --gid 10001 promptsmith \
  && useradd --system --uid 10001 --gid promptsmith --home-dir /app --no-create-home \
    --shell /usr/sbin/nologin promptsmith \
  && mkdir -p /app/data /app/uploads \
  && chown -R promptsmith:promptsmith /app

# The program and its resource bundles (read-only, owned by root); the working folder /app holds
# only what the process writes: data/ (SQLite, development secret) and uploads/ (the default
# STORAGE_URL, file://./uploads). Mount volumes there, or use PostgreSQL and S3 (docker-compose.yml).
COPY --from=build /staging /opt/promptsmith
# Production unless told otherwise (`-e VAPOR_ENV=development`): JWT_SECRET and ENCRYPTION_KEY
# are then required and nothing is generated, for every command (serve, worker, migrate, user).
ENV VAPOR_ENV="production" \
  PATH="/opt/promptsmith:${PATH}" \
  DATABASE_URL="sqlite:///app/data/promptsmith.sqlite" \
  DATA_DIR="/app/data" \
  PORT="8080" \
  LOG_LEVEL="info" \
  SWIFT_BACKTRACE="enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/opt/promptsmith/swift-backtrace-static"

WORKDIR /app
USER 10001:10001
EXPOSE 8080

# /health answers 200 while the process is alive (/ready also checks the database). Plain HTTP on
# the port of the CMD below: with TLS in the process (TLS_CERT_FILE) use `curl -fsSk https://…`,
# and for the worker (no HTTP listener) disable it (docker-compose.yml does).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["sh", "-c", "curl -fsS --max-time 4 -o /dev/null http://127.0.0.1:8080/health || exit 1"]

ENTRYPOINT ["promptsmith"]
CMD ["serve", "--hostname", "0.0.0.0", "--port", "8080"]
