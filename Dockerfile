# syntax=docker/dockerfile:1
# Build a static sitrep binary (pure Go: no cgo), then run it as a non-root
# user on a minimal image. Config and database live in volumes.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/sitrep ./cmd/sitrep \
 && mkdir -p /out/data /out/config

FROM gcr.io/distroless/static-debian12:nonroot
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
