#!/usr/bin/env bash
# Builds the release artifacts twice, each time from a clean copy of the
# checked-in files in its own directory, and fails unless every file is
# bit-identical: the library jars with their -sources and -javadoc jars, the
# launcher jar (ankisyncd.jar) and the WAR (anki.war). What makes them
# reproducible is project.build.outputTimestamp in the parent pom.
#
#   scripts/check-reproducible.sh            (CI runs it after the tests)
#
# No tests run (-DskipTests; not -Dmaven.test.skip, which would not make the
# test-jars that anki-sync-postgres needs); Maven's downloads come from ~/.m2 as usual.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

modules=anki-sync-core,anki-sync-auth,anki-sync-media,anki-sync-metrics,anki-sync-admin,anki-sync-undertow,anki-sync-servlet
work=$(mktemp -d "${TMPDIR:-/tmp}/ankisync-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT

copy() {
  local dir=$work/$1
  mkdir -p "$dir"
  # The checked-in files only (no target/, no local data), as a fresh clone has them.
  git -C "$repo" ls-files -z --cached --others --exclude-standard \
    | tar -C "$repo" --null --no-recursion --ignore-failed-read -T - -cf - | tar -C "$dir" -xf -
}

build() {
  local dir=$work/$1
  (cd "$dir" && ./mvnw -B -q -DskipTests -pl "$modules" -am package >"$dir.log" 2>&1) \
    || { tail -n 40 "$dir.log" >&2; echo "build $1 failed" >&2; exit 1; }
  (cd "$dir" && find . -maxdepth 3 -path '*/target/*' \( -name '*.jar' -o -name '*.war' \) \
    -not -name 'original-*' | sort | xargs sha256sum) >"$work/$1.sha256"
}

start=$SECONDS
# Both copies first, so that both builds see the same files even if the work tree changes meanwhile.
copy first
copy second
build first
build second
count=$(wc -l <"$work/first.sha256")
if [ "$count" -eq 0 ]; then
  echo "no artifacts were built" >&2
  exit 1
fi
if ! diff -u "$work/first.sha256" "$work/second.sha256"; then
  echo "NOT reproducible: the files above differ between two clean builds" >&2
  # Which entries differ, for the first differing file.
  file=$(diff "$work/first.sha256" "$work/second.sha256" | sed -n 's/^< [0-9a-f]*  //p' | head -n 1)
  if [ -n "$file" ]; then
    diff <(unzip -lv "$work/first/$file") <(unzip -lv "$work/second/$file") >&2 || true
  fi
  exit 1
fi
cat "$work/first.sha256"
echo "$count files bit-identical across two clean builds ($((SECONDS - start)) s)"
# The closing line in the plain "N passed, N failed" form, one comparison per file.
echo "reproducible: $count passed, 0 failed"
