#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium (browser tests), fonts and Pango (WeasyPrint PDFs),
# poppler-utils (PDF → PNG checks); PostgreSQL and Redis when WITH_POSTGRES=1 / WITH_REDIS=1 (the surge
# server). Installs only what is missing; needs root (or says what to install).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${WITH_POSTGRES:-0}" = 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || need+=(postgresql)
fi
if [ "${WITH_REDIS:-0}" = 1 ]; then
  command -v redis-server >/dev/null || need+=(redis-server)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Paket Debian yang dibutuhkan belum terpasang: ${need[*]} (jalankan: sudo apt-get install ${need[*]})" >&2
  exit 1
fi
echo "Memasang paket Debian: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
