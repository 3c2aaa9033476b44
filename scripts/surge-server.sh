#!/usr/bin/env bash
# The server `make surge` runs against (README "Deadline-day load test"): a private PostgreSQL in
# $SURGE_DIR (default var/surge) on 127.0.0.1:$SURGE_PG_PORT, migrated, holding a `generate_instansi
# --lengkap` instansi of $SURGE_PEGAWAI pegawai (made once; `SURGE_REGENERATE=1` makes it again), a private
# Redis on 127.0.0.1:$SURGE_REDIS_PORT for the cache every worker shares (`SURGE_REDIS=0`: none, each
# worker caches in its own memory), and gunicorn on 127.0.0.1:$SURGE_PORT, DEBUG off.
# Runs in the foreground; Ctrl-C stops gunicorn, `make surge-server-stop` stops PostgreSQL and Redis.
#   stop    stop the private PostgreSQL and Redis
#
# Chosen for 2 cores with PostgreSQL on the same machine (docs/benchmarks.md "The server under the surge",
# measured A/B in alternation on a loaded machine):
# - gunicorn sync workers, 2 × cores + 1 (SURGE_WORKERS, SURGE_WORKER_CLASS, SURGE_THREADS to try others):
#   3 gthread workers × 3 threads served the mix no faster (only /healthz, thanks to keep-alive);
# - persistent database connections (CONN_MAX_AGE, default 60 s): with 0 the mix fell from 7.5–8 to 4–6.5 req/s;
# - Redis for the cache (SURGE_REDIS=0: none): no faster or slower in the A/B, kept because every worker must
#   see the others' invalidations (docs/architecture.md "Caching") and share the nav/badge counts;
# - a worker is replaced after SURGE_MAX_REQUESTS requests (± 10 %, not all at once): a bound on memory;
# - PostgreSQL sized for a small machine, durability kept (fsync, synchronous_commit on): shared_buffers 512 MB
#   (the instansi's hot tables fit), work_mem 8 MB, effective_cache_size 2 GB, max_connections 50 (a worker
#   holds one), JIT off (it only costs on short queries); not measured apart. More: SURGE_PG_OPTS.
set -euo pipefail
cd "$(dirname "$0")/.."
SURGE_DIR=${SURGE_DIR:-$PWD/var/surge}
PG_PORT=${SURGE_PG_PORT:-55432}
PORT=${SURGE_PORT:-8000}
REDIS_PORT=${SURGE_REDIS_PORT:-$((PG_PORT + 1))}
PEGAWAI=${SURGE_PEGAWAI:-20000}
WORKERS=${SURGE_WORKERS:-$(( 2 * $(nproc) + 1 ))}
WORKER_CLASS=${SURGE_WORKER_CLASS:-sync}
THREADS=${SURGE_THREADS:-1}
MAX_REQUESTS=${SURGE_MAX_REQUESTS:-5000}
KODE="LENGKAP-1-${PEGAWAI}"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PG_OPTS="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SURGE_DIR -c max_connections=50 -c shared_buffers=512MB \
-c work_mem=8MB -c effective_cache_size=2GB -c jit=off ${SURGE_PG_OPTS:-}"

if [ "${1:-}" = stop ]; then
  if [ -f "$SURGE_DIR/redis.pid" ] && kill -0 "$(cat "$SURGE_DIR/redis.pid")" 2>/dev/null; then
    kill "$(cat "$SURGE_DIR/redis.pid")"
  fi
  as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" stop -m fast
  exit 0
fi

WITH_POSTGRES=1 WITH_REDIS=$([ "${SURGE_REDIS:-1}" != 0 ] && echo 1 || echo 0) bash scripts/ensure-system-packages.sh
mkdir -p "$SURGE_DIR"
if [ "$(id -u)" = 0 ]; then chown postgres "$SURGE_DIR"; fi
if [ ! -d "$SURGE_DIR/db" ]; then
  as_pg "$PGBIN/initdb" -D "$SURGE_DIR/db" -A trust >/dev/null
fi
if [ -n "${SURGE_PG_RESTART:-}" ]; then  # new settings for a running PostgreSQL (an A/B between runs)
  as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" stop -m fast >/dev/null 2>&1 || true
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$SURGE_DIR/db" -l "$SURGE_DIR/postgres.log" -w start -o "$PG_OPTS"
fi
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
if [ "${SURGE_REDIS:-1}" != 0 ]; then
  if ! command -v redis-server >/dev/null; then
    echo "Peringatan: redis-server tidak ada (apt-get install redis-server): tiap worker memakai cache sendiri" >&2
  elif ! { [ -f "$SURGE_DIR/redis.pid" ] && kill -0 "$(cat "$SURGE_DIR/redis.pid")" 2>/dev/null; }; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$SURGE_DIR" \
      --pidfile "$SURGE_DIR/redis.pid" --logfile "$SURGE_DIR/redis.log" --save "" --appendonly no \
      --maxmemory 256mb --maxmemory-policy allkeys-lru
  fi
  command -v redis-server >/dev/null && export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
else
  unset REDIS_URL
fi
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=WARNING
export CONN_MAX_AGE=${CONN_MAX_AGE:-60}
export SECRET_KEY=${SECRET_KEY:-surge-only-$(hostname)}
PY=.venv/bin/python
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
if [ -n "${SURGE_REGENERATE:-}" ] || ! $PY manage.py shell -v 0 -c \
    "from kinerja.organisasi.models import Instansi; import sys; sys.exit(0 if Instansi.objects.filter(kode='$KODE').exists() else 1)"; then
  $PY manage.py generate_instansi --pegawai "$PEGAWAI" --seed 1 --kode "$KODE" --lengkap --replace
  as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -q -c "VACUUM ANALYZE" postgres
fi
echo "DATABASE_URL=$DATABASE_URL  REDIS_URL=${REDIS_URL:-}  (make surge SURGE_URL=http://127.0.0.1:$PORT)"
echo "gunicorn: $WORKERS $WORKER_CLASS workers × $THREADS threads, --max-requests $MAX_REQUESTS, CONN_MAX_AGE $CONN_MAX_AGE"
exec .venv/bin/gunicorn kinerja.wsgi -b "127.0.0.1:$PORT" -w "$WORKERS" -k "$WORKER_CLASS" --threads "$THREADS" \
  --max-requests "$MAX_REQUESTS" --max-requests-jitter $((MAX_REQUESTS / 10)) --timeout 60 --log-level warning
