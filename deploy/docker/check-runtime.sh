#!/usr/bin/env bash
# Checks the kinora image's runtime recipe without a Docker engine: makes a minimal Debian 12
# root (debootstrap --variant=minbase, what debian:12-slim is made from), installs only what
# runtime-packages.sh finds for the binary (plus ca-certificates and curl, as the Dockerfile
# does), copies the stripped binary in, starts `kinora serve` in it as uid 1000, and uploads
# a short H.264/AAC clip (made with the host's ffmpeg) that must reach PROCESSED, so decoding,
# encoding, muxing and the sandboxed child all work with only those libraries. Prints the
# root's size. Needs root, ffmpeg and curl on the host, and Debian's package archive.
# Usage: deploy/docker/check-runtime.sh [BINARY] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-build/release/apps/kinora/kinora}"
work="${2:-/tmp/kinora-runtime-check}"
[[ $(id -u) -eq 0 ]] || { echo "check-runtime: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "check-runtime: apt-get install debootstrap" >&2; exit 2; }

root="$work/root"
if [[ ! -x "$root/usr/bin/apt-get" ]]; then
  rm -rf "$root"
  mkdir -p "$root"
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
fi
mapfile -t pkgs < <(bash deploy/docker/runtime-packages.sh "$bin")
echo "runtime packages: ${pkgs[*]}"
cp /etc/resolv.conf "$root/etc/resolv.conf"
chroot "$root" apt-get -qq update
chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${pkgs[@]}" ca-certificates curl >/dev/null
chroot "$root" sh -c 'apt-get clean; rm -rf /var/lib/apt/lists/*'
chroot "$root" sh -c 'getent group kinora >/dev/null || groupadd --gid 1000 kinora;
  id kinora >/dev/null 2>&1 || useradd --uid 1000 --gid 1000 --home-dir /var/lib/kinora --no-create-home --shell /usr/sbin/nologin kinora;
  install -d -o 1000 -g 1000 /var/lib/kinora'
objcopy --strip-debug "$bin" "$root/usr/local/bin/kinora"

missing=$(chroot "$root" ldd /usr/local/bin/kinora | grep 'not found' || true)
[[ -z "$missing" ]] || { echo "check-runtime: missing libraries:"; echo "$missing"; exit 1; }

mount -t proc proc "$root/proc"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; umount "$root/proc"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
chroot --userspec=1000:1000 "$root" env -i HOME=/var/lib/kinora KINORA_LISTEN="127.0.0.1:$port" \
  KINORA_DATA_DIR=/var/lib/kinora KINORA_WORKERS=1 /usr/local/bin/kinora serve >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  if curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null
curl -fsS "http://127.0.0.1:$port/ready" >/dev/null
[[ $(ps -o uid= -p "$pid" | tr -d " ") == 1000 ]] || { echo "check-runtime: not running as uid 1000" >&2; exit 1; }
echo "kinora serve answered /health and /ready as uid 1000 in a minimal Debian 12 root"

clip="$work/clip.mp4"
ffmpeg -loglevel error -y -f lavfi -i testsrc2=duration=4:size=854x480:rate=30 \
  -f lavfi -i sine=frequency=440:duration=4 -c:v libx264 -pix_fmt yuv420p -c:a aac "$clip"
id=$(curl -fsS -F "file=@$clip" "http://127.0.0.1:$port/api/uploader/upload" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["video_id"])')
status=""
for _ in $(seq 240); do
  status=$(curl -fsS "http://127.0.0.1:$port/api/analytics/video/$id" |
    python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["status"], v.get("error") or "")')
  [[ $status == PROCESSED* || $status == FAILED* ]] && break
  sleep 0.5
done
[[ $status == PROCESSED* ]] || { echo "check-runtime: the clip ended as: $status" >&2; tail -20 "$work/serve.log" >&2; exit 1; }
echo "an uploaded clip was transcoded to PROCESSED inside it"
echo "root size (minbase + runtime packages + binary, apt caches removed): $(du -sh --exclude=proc --exclude=var/lib/kinora "$root" | cut -f1)"
echo "binary: $(du -h "$root/usr/local/bin/kinora" | cut -f1) stripped"
