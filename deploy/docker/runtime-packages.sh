#!/usr/bin/env bash
# Prints the Debian packages that hold the shared libraries a binary links directly, one per
# line, so the runtime image installs exactly those (apt brings their own dependencies) and no
# compilers, headers or -dev packages.
# Usage: deploy/docker/runtime-packages.sh BINARY
set -euo pipefail
bin="${1:?usage: runtime-packages.sh BINARY}"
mapfile -t needed < <(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
if [[ ${#needed[@]} -eq 0 ]]; then
  echo "runtime-packages: $bin links no shared libraries" >&2
  exit 1
fi
# Where the loader finds each one (ldd), then one dpkg query for all of them. dpkg may know a
# library as /lib/… or /usr/lib/… (merged /usr), so match on its multiarch directory + name.
declare -A path=()
while read -r name _ file _; do path[$name]="$file"; done < <(ldd "$bin" | awk '$2 == "=>"')
patterns=()
for lib in "${needed[@]}"; do
  file="${path[$lib]:-}"
  [[ -n "$file" ]] || { echo "runtime-packages: the loader cannot find $lib" >&2; exit 1; }
  patterns+=("*/$(basename "$(dirname "$file")")/$lib")
done
if ! owners=$(dpkg -S "${patterns[@]}" 2>&1); then
  echo "runtime-packages: a library belongs to no package: $owners" >&2
  exit 1
fi
# "libfoo1:amd64, libfoo-dev:amd64: /path" lists every owner; keep the runtime packages.
cut -d: -f1 <<<"$owners" | tr ',' '\n' | sed 's/^ *//; s/:.*//' | grep -v -- '-dev$' | sort -u
