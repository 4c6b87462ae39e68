# syntax=docker/dockerfile:1
# Build a static sitrep binary (pure Go: no cgo), then run it as a non-root
# user on a minimal image (no shell, no package manager). Config and data
# live in volumes; the root filesystem can be read-only.
#
# Base images are pinned by digest; the tag before it is for people. The
# digests are those public Dockerfiles pinned for these tags in August 2026
# (golang 1.26.8-bookworm; distroless static-debian12:nonroot as of
# 2026-08-26). Refresh both together, e.g. with
#   docker buildx imagetools inspect golang:1.26.8-bookworm
#   crane digest gcr.io/distroless/static-debian12:nonroot
FROM golang:1.26.8-bookworm@sha256:dc9ad6c05acc7a88e5b71bde60a5fe3bd4b9f0db209011711b464107438a8107 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sitrep ./cmd/sitrep \
 && mkdir -p /out/data /out/config

FROM gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab
COPY --from=build /out/sitrep /usr/local/bin/sitrep
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build --chown=65532:65532 /out/config /config
USER 65532:65532
WORKDIR /data
VOLUME ["/data", "/config"]
EXPOSE 8080
# The image has no shell or curl: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["/usr/local/bin/sitrep", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/sitrep"]
CMD ["run", "--config", "/config/sitrep.yaml"]
