#!/usr/bin/env bash
# Checks the web image's nginx configuration without a Docker engine: serves web/dist with
# deploy/docker/nginx/default.conf from the host's nginx (Debian's nginx-light will do) on a
# loopback port and asks it what a browser and the load balancer would.
# Usage: deploy/docker/check-web.sh   (after scripts/build_web.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v nginx >/dev/null || { echo "check-web: needs nginx (apt-get install nginx-light)" >&2; exit 2; }
[[ -f web/dist/index.html ]] || { echo "check-web: build the app first (scripts/build_web.sh)" >&2; exit 2; }
w=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$w/snippets" "$w/tmp"
cp deploy/docker/nginx/security-headers.conf "$w/snippets/"
sed -e "s|/usr/share/nginx/html|$PWD/web/dist|; s|/etc/nginx/snippets|$w/snippets|" \
    -e "s|listen 8080;|listen 127.0.0.1:$port;|" deploy/docker/nginx/default.conf >"$w/default.conf"
cat >"$w/nginx.conf" <<CONF
pid $w/nginx.pid;
error_log $w/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $w/tmp; proxy_temp_path $w/tmp; fastcgi_temp_path $w/tmp;
  uwsgi_temp_path $w/tmp; scgi_temp_path $w/tmp;
  include $w/default.conf;
}
CONF
nginx -q -c "$w/nginx.conf" -p "$w"
trap 'nginx -c "$w/nginx.conf" -p "$w" -s stop 2>/dev/null; rm -rf "$w"' EXIT
sleep 0.3

fails=0
expect() {  # PATH STATUS CONTENT-TYPE-PREFIX CACHE-CONTROL (or -)
  local got type cache
  got=$(curl -s -o /dev/null -D "$w/h" -w '%{http_code} %{content_type}' "http://127.0.0.1:$port$1")
  type=${got#* }
  cache=$(grep -i '^cache-control:' "$w/h" | cut -d' ' -f2- | tr -d '\r' || true)
  if [[ ${got%% *} == "$2" && $type == "$3"* && ( $4 == "-" && -z $cache || $cache == "$4" ) ]]; then
    printf 'ok    %-40s %s %s %s\n' "$1" "${got%% *}" "$type" "${cache:--}"
  else
    printf 'FAIL  %-40s got %s, cache %s; want %s %s %s\n' "$1" "$got" "${cache:--}" "$2" "$3" "$4"
    fails=$((fails + 1))
  fi
}
asset=$(cd web/dist && find assets -name '*.js' | head -1)
expect / 200 text/html no-cache
expect /library 200 text/html no-cache                  # SPA fallback
expect /watch/some-id 200 text/html no-cache
expect "/$asset" 200 application/javascript "public, max-age=31536000, immutable"
expect /assets/not-there.js 404 text/html -             # never cached
expect /api/analytics/stats 404 application/problem+json -
expect /api 404 application/problem+json -
expect /media/processed/x/master.m3u8 404 application/problem+json -
expect /healthz 200 text/plain -
[[ $fails -eq 0 ]] || { echo "check-web: $fails failed" >&2; exit 1; }
echo "check-web: the web image's nginx configuration behaves"
