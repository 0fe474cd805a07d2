#!/bin/sh
# Everyday tasks of the container deployment (compose.yaml), one verb each:
#
#   scripts/ankisyncd.sh build            build the image
#   scripts/ankisyncd.sh up               start the server on http://localhost:27701/
#   scripts/ankisyncd.sh https            start it with Caddy on https://<domain>:27703/
#   scripts/ankisyncd.sh down             stop and remove the containers (the data volumes stay)
#   scripts/ankisyncd.sh restart          restart the running containers
#   scripts/ankisyncd.sh status           containers and the server's /health
#   scripts/ankisyncd.sh logs [-f] [SERVICE]
#   scripts/ankisyncd.sh certs self-signed   save Caddy's local CA as ankisyncd-ca.crt, for the devices
#   scripts/ankisyncd.sh certs info          the certificate the https port serves
#   scripts/ankisyncd.sh certs letsencrypt   how to get a Let's Encrypt certificate
#   scripts/ankisyncd.sh backup           a consistent, incremental copy of every user's data and
#                                         the account database, in the volume at /data/backups/latest
#   scripts/ankisyncd.sh user add NAME    the jar's user command inside the container
#
# Compose tool: ANKISYNCD_COMPOSE if set (e.g. "podman-compose"), else
# "docker compose", podman-compose or "podman compose", whichever is installed.
# Ports, domain and images: the ANKISYNCD_* variables compose.yaml reads
# (README, "Deploying").
set -eu

cd "$(dirname "$0")/.."

# podman builds OCI images by default, which drop the Dockerfile's HEALTHCHECK.
BUILDAH_FORMAT=${BUILDAH_FORMAT:-docker}
export BUILDAH_FORMAT

http_port=${ANKISYNCD_HTTP_PORT:-27701}
https_port=${ANKISYNCD_HTTPS_PORT:-27703}
domain=${ANKISYNCD_DOMAIN:-localhost}

die() {
  echo "ankisyncd.sh: $*" >&2
  exit 1
}

compose() {
  if [ -n "${ANKISYNCD_COMPOSE:-}" ]; then
    # shellcheck disable=SC2086 # the variable may hold a command and its first argument
    $ANKISYNCD_COMPOSE "$@"
  elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  elif command -v podman-compose >/dev/null 2>&1; then
    podman-compose "$@"
  elif command -v podman >/dev/null 2>&1; then
    podman compose "$@"
  else
    die "no compose tool found: install Docker Compose or podman-compose, or set ANKISYNCD_COMPOSE"
  fi
}

# compose.yaml reads its settings from ankisyncd.env; a first run gets the example.
ensure_env_file() {
  if [ ! -f ankisyncd.env ]; then
    cp deploy/compose/ankisyncd.env.example ankisyncd.env
    chmod 600 ankisyncd.env
    echo "Created ankisyncd.env from deploy/compose/ankisyncd.env.example: add users there or with '$0 user add NAME'."
  fi
}

health() {
  # Any HTTP client will do; the image has its own check (HEALTHCHECK).
  if command -v curl >/dev/null 2>&1; then
    curl -fsS "http://127.0.0.1:$http_port/health" >/dev/null 2>&1
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O /dev/null "http://127.0.0.1:$http_port/health"
  else
    compose exec -T ankisyncd java -cp /opt/ankisyncd HealthCheck
  fi
}

wait_healthy() {
  tries=0
  until health; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || die "the server did not answer on port $http_port/health within 60 s; see '$0 logs'"
    sleep 1
  done
}

# Caddy needs a moment to issue the certificate (from its local CA, or from
# Let's Encrypt for a public domain); waits up to 60 s, then only warns.
wait_tls() {
  command -v openssl >/dev/null 2>&1 || return 0
  tries=0
  until openssl s_client -connect "127.0.0.1:$https_port" -servername "$domain" </dev/null >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
      echo "Caddy does not serve TLS on port $https_port yet (certificate still being issued?); see '$0 logs caddy'." >&2
      return 0
    fi
    sleep 1
  done
}

certs() {
  case "${1:-info}" in
    self-signed)
      # Caddy makes its own CA for local names (localhost) in its data volume.
      compose --profile https exec -T caddy cat /data/caddy/pki/authorities/local/root.crt >ankisyncd-ca.crt.part \
        || die "Caddy is not running or has no local CA yet: run '$0 https' first"
      mv ankisyncd-ca.crt.part ankisyncd-ca.crt
      echo "Saved Caddy's local CA as ankisyncd-ca.crt. Install it as a trusted CA on each device"
      echo "(or, for the desktop app, start it with SSL_CERT_FILE naming a bundle that includes it)."
      ;;
    info)
      command -v openssl >/dev/null 2>&1 || die "certs info needs openssl"
      openssl s_client -connect "127.0.0.1:$https_port" -servername "$domain" </dev/null 2>/dev/null \
        | openssl x509 -noout -subject -issuer -dates -ext subjectAltName \
        || die "nothing serves TLS on port $https_port: run '$0 https' first"
      ;;
    letsencrypt)
      echo "Set ANKISYNCD_DOMAIN to a public name of this machine whose ports 80 and 443 reach Caddy"
      echo "(uncomment the port 80 line in compose.yaml), then run '$0 https': Caddy gets and renews"
      echo "the certificate by itself."
      ;;
    *) die "certs self-signed|info|letsencrypt" ;;
  esac
}

verb=${1:-help}
[ "$#" -gt 0 ] && shift
case "$verb" in
  build)
    compose build ankisyncd
    ;;
  up)
    ensure_env_file
    compose up -d ankisyncd
    wait_healthy
    echo "ankisyncd is up. Endpoint for the clients: http://<this host>:$http_port/"
    ;;
  https)
    ensure_env_file
    compose --profile https up -d
    wait_healthy
    wait_tls
    echo "ankisyncd is up behind Caddy. Endpoint for the clients: https://$domain:$https_port/"
    [ "$domain" = localhost ] && echo "Caddy's local CA signed the certificate: '$0 certs self-signed' exports it."
    ;;
  down)
    compose --profile https down
    ;;
  restart)
    compose --profile https restart
    ;;
  status)
    compose --profile https ps
    if health; then echo "health: ok (port $http_port)"; else echo "health: no answer on port $http_port"; fi
    ;;
  logs)
    compose --profile https logs "$@"
    ;;
  certs)
    certs "$@"
    ;;
  backup)
    # The jar's backup, inside the running container: users are locked one at a
    # time, unchanged media files are not copied again. Copy the folder off the
    # machine from there (e.g. 'podman cp' or 'docker compose cp').
    compose exec -T ankisyncd ankisyncd backup --to /data/backups/latest
    echo "backup in the volume at /data/backups/latest"
    ;;
  user)
    # With a terminal the jar asks for passwords; without one (-T),
    # 'user add NAME --password-stdin' reads a pipe.
    if [ -t 0 ]; then
      compose exec ankisyncd ankisyncd user "$@"
    else
      compose exec -T ankisyncd ankisyncd user "$@"
    fi
    ;;
  help | -h | --help)
    sed -n '2,20s/^# \{0,1\}//p' "$0"
    ;;
  *)
    die "unknown verb '$verb' (see '$0 help')"
    ;;
esac
