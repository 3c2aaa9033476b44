#!/usr/bin/env bash
# The server `make surge` runs against (README "Deadline-day load test"): a private PostgreSQL in
# $SURGE_DIR (default var/surge) on 127.0.0.1:$SURGE_PG_PORT, migrated, holding a `generate_instansi
# --lengkap` instansi of $SURGE_PEGAWAI pegawai (made once; `SURGE_REGENERATE=1` makes it again), and
# gunicorn with $SURGE_WORKERS workers (default 2 × cores + 1) on 127.0.0.1:$SURGE_PORT, DEBUG off.
# Runs in the foreground; Ctrl-C stops gunicorn, `make surge-server-stop` stops PostgreSQL.
#   stop    stop the private PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
SURGE_DIR=${SURGE_DIR:-$PWD/var/surge}
PG_PORT=${SURGE_PG_PORT:-55432}
PORT=${SURGE_PORT:-8000}
PEGAWAI=${SURGE_PEGAWAI:-20000}
WORKERS=${SURGE_WORKERS:-$(( 2 * $(nproc) + 1 ))}
KODE="LENGKAP-1-${PEGAWAI}"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" stop -m fast
  exit 0
fi

mkdir -p "$SURGE_DIR"
if [ "$(id -u)" = 0 ]; then chown postgres "$SURGE_DIR"; fi
if [ ! -d "$SURGE_DIR/db" ]; then
  as_pg "$PGBIN/initdb" -D "$SURGE_DIR/db" -A trust >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" -l "$SURGE_DIR/postgres.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SURGE_DIR -c max_connections=200 -c shared_buffers=256MB"
fi
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=WARNING
export SECRET_KEY=${SECRET_KEY:-surge-only-$(hostname)}
PY=.venv/bin/python
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
if [ -n "${SURGE_REGENERATE:-}" ] || ! $PY manage.py shell -v 0 -c \
    "from kinerja.organisasi.models import Instansi; import sys; sys.exit(0 if Instansi.objects.filter(kode='$KODE').exists() else 1)"; then
  $PY manage.py generate_instansi --pegawai "$PEGAWAI" --seed 1 --kode "$KODE" --lengkap --replace
fi
echo "DATABASE_URL=$DATABASE_URL  (make surge SURGE_URL=http://127.0.0.1:$PORT)"
exec .venv/bin/gunicorn kinerja.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" --timeout 60 --log-level warning
