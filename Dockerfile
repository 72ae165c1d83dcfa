# coachbook in a container: a static binary on an empty base, run as a
# non-root user.
#
#   docker build -t coachbook .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" coachbook build
#
# The site folder is mounted at /site, the working folder: every command
# works on it as it would in a shell there (`check --strict`,
# `build --all-audiences --out public`, `new debrief ...`). `--user` makes the
# files it writes yours; without it they belong to uid 65532 (nonroot),
# which needs write access to the folder. To preview:
#
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" \
#     -p 127.0.0.1:1111:1111 coachbook serve --bind 0.0.0.0 --poll
#
# (--bind 0.0.0.0 inside the container; -p 127.0.0.1:... keeps it on your
# machine. --poll where the mount sends no change events.)

# Build: Alpine's Rust targets musl, whose binaries are static: nothing
# from the build image is needed at run time.
FROM rust:1-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --locked --release --bin coachbook \
 && cp target/release/coachbook /coachbook \
 && /coachbook --version

# Run: no shell, no package manager, only the binary (and CA
# certificates, time zone data and a nonroot user from distroless).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /coachbook /usr/local/bin/coachbook
USER nonroot:nonroot
WORKDIR /site
ENTRYPOINT ["coachbook"]
CMD ["--help"]
