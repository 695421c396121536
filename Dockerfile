# Gatehouse: a static binary on distroless, run as a non-root user.
# Build:  docker build -t gatehouse .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
RUN go build -trimpath -ldflags "-s -w" -o /out/portal ./cmd/portal

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/portal /portal
# nonroot is uid 65532 in distroless; no shell is needed or present.
USER 65532:65532
ENV PORTAL_ADDR=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["/portal"]
CMD ["serve"]
