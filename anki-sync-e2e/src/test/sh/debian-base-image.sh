#!/bin/sh
# Makes a container base image from Debian's packages and loads it into podman,
# for the container tests: no image registry is reachable where they run, so
# the Dockerfile's base images (build arguments) are replaced by these.
#
#   debian-base-image.sh NAME PACKAGE[,PACKAGE...]
#
# The image is localhost/ankisyncd-test/NAME:bookworm. The root file system is
# made once with debootstrap (the slow step, about a minute) and kept as a tar
# in the cache folder (ANKISYNCD_TEST_CACHE, default /var/cache/ankisyncd-test),
# so later runs on the same machine only import it, or find it imported.
# The Debian mirror is the one apt already uses on this machine, and the image
# trusts the certificate authorities this machine trusts (its CA bundle and
# Java trust store are copied in): where outgoing TLS passes an inspecting
# proxy, Maven in the build stage could otherwise not reach Maven Central.
set -eu

name=$1
packages=$2
cache=${ANKISYNCD_TEST_CACHE:-/var/cache/ankisyncd-test}
image=localhost/ankisyncd-test/$name:bookworm
ca_bundle=/etc/ssl/certs/ca-certificates.crt
java_trust=/etc/ssl/certs/java/cacerts
# The key changes when the package list or this machine's trust does, so a
# stale tar is never reused.
key=$( (printf 'v2 %s\n' "$packages"; cat "$ca_bundle" "$java_trust" 2>/dev/null) | sha256sum | cut -c1-12)
tarball=$cache/$name-$key.tar

if podman image exists "$image" \
    && [ "$(podman image inspect --format '{{ index .Labels "ankisyncd.test.key" }}' "$image")" = "$key" ]; then
  echo "$image: present"
  exit 0
fi

mirror() {
  # deb822 sources first, then the one-line format.
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' "$f" | grep -v security | head -n 1
  done
  if [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\).*/\2/p' /etc/apt/sources.list \
      | grep -v security | head -n 1
  fi
}

if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  root=$(mktemp -d "$cache/rootfs.XXXXXX")
  url=$(mirror | head -n 1)
  [ -n "$url" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "$image: debootstrap bookworm ($packages) from $url"
  debootstrap --variant=minbase --include="$packages" bookworm "$root" "$url" >"$root.log" 2>&1 \
    || { tail -n 20 "$root.log" >&2; exit 1; }
  [ -f "$ca_bundle" ] && cp "$ca_bundle" "$root$ca_bundle"
  [ -f "$java_trust" ] && [ -d "$root${java_trust%/*}" ] && cp "$java_trust" "$root$java_trust"
  # Smaller image: no package lists or downloaded archives.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
  # mktemp made the folder 0700; as the image's / it would lock out non-root users.
  chmod 0755 "$root"
  tar -C "$root" --numeric-owner -cf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$root" "$root.log"
  # Tars of this image made with other packages or another trust store.
  for old in "$cache/$name"-*.tar; do
    [ "$old" = "$tarball" ] || rm -f "$old"
  done
fi

echo "$image: importing $tarball"
podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL ankisyncd.test.key=$key" \
  --change 'CMD ["/bin/bash"]' \
  "$tarball" "$image" >/dev/null
echo "$image: ready"
