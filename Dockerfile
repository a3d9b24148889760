# syntax=docker/dockerfile:1
# slaprobe: build with the Swift toolchain, run on Debian bookworm-slim with only the libraries the binary links.
#   docker build --build-arg REVISION="$(git rev-parse --short HEAD)" -t slaprobe:0.1.0 .
#   docker run --rm -p 9330:9330 slaprobe:0.1.0 demo --web.listen-address :9330

FROM swift:6.3-bookworm AS build
# The -dev packages of the C libraries slaprobe calls (Package.swift's system library targets).
# Versions are not pinned: bookworm's security updates replace them, and a pin would break the build.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libcurl4-openssl-dev libmicrohttpd-dev libssl-dev libyaml-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so a source change does not fetch them again.
COPY Package.* ./
RUN swift package resolve
COPY . .
# --static-swift-stdlib links the Swift runtime and Foundation in, so the runtime image needs no toolchain.
RUN swift build -c release --static-swift-stdlib --product slaprobe \
    && install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/slaprobe" \
        /out/usr/local/bin/slaprobe

FROM debian:bookworm-slim
# Exactly the shared libraries the release binary links, beyond libc (ArtifactTests compares this line with
# `ldd` of a release build mapped through `dpkg -S`), plus three packages that are not libraries:
# ca-certificates to verify https targets, curl for HEALTHCHECK (one small package, since libcurl4 is
# already here; slim has neither curl nor wget), and tzdata, the time zone files maintenance windows read.
# hadolint ignore=DL3008
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates curl libcrypt1 libcurl4 libgcc-s1 libmicrohttpd12 libssl3 libstdc++6 libyaml-0-2 tzdata \
    && rm -rf /var/lib/apt/lists/*
# A system user with a fixed UID, matching the Kubernetes securityContext (runAsUser 65532), and a writable
# directory for alert state and the notification outbox (--alert.storage-path).
RUN useradd --system --uid 65532 --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin slaprobe \
    && install -d -o slaprobe -g slaprobe -m 0750 /var/lib/slaprobe
COPY --from=build /out/usr/local/bin/slaprobe /usr/local/bin/slaprobe
# The default configuration; mount your own over it (the Kubernetes manifests use a ConfigMap).
COPY examples/slaprobe.yml /etc/slaprobe/slaprobe.yml
ARG REVISION=unknown
ENV SLAPROBE_REVISION=${REVISION}
USER 65532:65532
WORKDIR /var/lib/slaprobe
EXPOSE 9330
# Liveness as Kubernetes sees it: /healthz answers 503 once the probe scheduler has stalled. It assumes the default
# listen address and no --web.config.file TLS or basic auth; change it with yours.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:9330/healthz"]
ENTRYPOINT ["slaprobe"]
CMD ["--config.file=/etc/slaprobe/slaprobe.yml", "--alert.storage-path=/var/lib/slaprobe"]
