# syntax=docker/dockerfile:1
# ankisyncd as a container image: the launcher jar on a Java 17 runtime,
# running as a non-root user, all data in the volume /data.
#
#   docker build -t ankisyncd .        (or: scripts/ankisyncd.sh build)
#   podman build --format docker -t ankisyncd .   (OCI images drop HEALTHCHECK)
#   docker run -d -p 27701:27701 -v ankisyncd-data:/data -e SYNC_USER1=alice:secret ankisyncd
#
# Both base images are build arguments, so that a mirror or a locally made
# image can stand in for them (--build-arg BUILD_IMAGE=... RUNTIME_IMAGE=...).
ARG BUILD_IMAGE=docker.io/library/maven:3-eclipse-temurin-17
ARG RUNTIME_IMAGE=docker.io/library/eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY . .
# Maven's downloads (and the wrapper's Maven, 3.9.16: the build needs 3.9.6 or
# later, whatever the build image brings) stay in a build cache between builds.
# The wrapper needs curl or wget. The tests run in CI, not here (their sources
# are not in the context). -DskipTests, not -Dmaven.test.skip: anki-sync-postgres
# depends on anki-sync-auth's test-jar (here empty), which the latter would not make.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl anki-sync-undertow -am -DskipTests package \
    && javac -d /out deploy/docker/HealthCheck.java \
    && cp anki-sync-undertow/target/ankisyncd.jar deploy/docker/ankisyncd /out/

FROM ${RUNTIME_IMAGE}
# A fixed uid, so that the volume's owner stays the same across rebuilds.
RUN groupadd --gid 10001 ankisyncd \
    && useradd --uid 10001 --gid ankisyncd --home-dir /data --no-create-home \
       --shell /usr/sbin/nologin ankisyncd \
    && mkdir -p /data \
    && chown ankisyncd:ankisyncd /data
COPY --from=build /out/ankisyncd.jar /out/HealthCheck.class /opt/ankisyncd/
COPY --from=build /out/ankisyncd /usr/local/bin/ankisyncd

# Every setting is an environment variable (README, "Configuration"): pass
# ANKISYNCD_* and SYNC_USERn with -e or an env file. These put everything in
# /data: collections, the account database (and, once kept, snapshots).
ENV ANKISYNCD_HOST=0.0.0.0 \
    ANKISYNCD_PORT=27701 \
    ANKISYNCD_COLLECTIONS_PATH=/data/collections \
    ANKISYNCD_AUTH_DB_PATH=/data/users.db \
    JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.05 -XX:+UseSerialGC"
# JAVA_OPTS: the heap follows the container's memory limit (-m / mem_limit); C1 only and
# the serial collector (README, "JVM settings").

VOLUME ["/data"]
WORKDIR /data
# Numeric, so that Kubernetes (runAsNonRoot) can tell it is not root.
USER 10001:10001
EXPOSE 27701
# The server finishes or rolls back running syncs on SIGTERM.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-cp", "/opt/ankisyncd", "HealthCheck"]
ENTRYPOINT ["ankisyncd"]
