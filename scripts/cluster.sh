#!/usr/bin/env bash
# The production topology on this one machine (README "Running more than one machine"):
#   HAProxy :55614 → two gunicorn nodes :55612 :55613 (health check /healthz)
#   PostgreSQL primary :55608 ← streaming replica :55609 (pg_basebackup -R)
#   pgbouncer :55610 (transaction pooling) in front of the primary; Redis :55611; one db_worker.
# State (data, logs, pids, configs) in var/cluster/. Debian packages are installed when missing (root).
#   scripts/cluster.sh start|stop|status|drill|env
# CLUSTER_PEGAWAI=N: generate an instansi of N pegawai (generate_instansi) instead of the demo data.
# CLUSTER_WORKERS: gunicorn workers per node (default 2). CLUSTER_PORT_BASE: the first of its seven ports
# (default 55608: primary, replica, pgbouncer, Redis, node1, node2, HAProxy in that order).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var/cluster
PY=$ROOT/.venv/bin/python
B=${CLUSTER_PORT_BASE:-55608}
P_PRIMER=$B P_REPLIKA=$((B + 1)) P_BOUNCER=$((B + 2)) P_REDIS=$((B + 3)) P_NODE1=$((B + 4)) P_NODE2=$((B + 5))
P_HAPROXY=$((B + 6))
URL=http://127.0.0.1:$P_HAPROXY/
DB=kinerja

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() { runuser -u postgres -- "$@"; }
say() { echo "[cluster] $*"; }

# The app's environment: every node, the worker and the management commands run with it.
app_env() {
  export DATABASE_URL="postgres://postgres@127.0.0.1:$P_BOUNCER/$DB"
  # The replica is reached directly: a pgbouncer in front of a stopped server keeps clients waiting
  # (server_connect_timeout) instead of refusing them, which would hang the router's health check.
  export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$P_REPLIKA/$DB"
  export PGBOUNCER=1 CONN_MAX_AGE=60
  export REDIS_URL="redis://127.0.0.1:$P_REDIS/0" JUMLAH_NODE=2
  export DEBUG=false SECRET_KEY="${SECRET_KEY:-cluster-lokal-bukan-produksi}"
  export ALLOWED_HOSTS="127.0.0.1,localhost" JUMLAH_PROXY=1
  export REPLIKA_CEK_DETIK="${REPLIKA_CEK_DETIK:-2}" LOG_LEVEL=WARNING
  export PYTHONUNBUFFERED=1
}

ensure_packages() {
  local need=()
  command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
  [ -x /usr/sbin/pgbouncer ] || need+=(pgbouncer)
  command -v redis-server >/dev/null || need+=(redis-server)
  [ -n "$(pgbin)" ] || need+=(postgresql)
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Paket Debian yang dibutuhkan belum terpasang: ${need[*]} (jalankan: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
  say "memasang paket Debian: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts the packaged services where it can; this cluster runs its own instances.
  for s in redis-server pgbouncer haproxy; do service "$s" stop >/dev/null 2>&1 || true; done
}

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_port() {  # wait_port PORT SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

pg_start() {  # pg_start DIR PORT
  as_pg "$(pgbin)/pg_ctl" -D "$1" -l "$VAR/log/$(basename "$1").log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $2 -k $VAR/run" start >/dev/null
}

start_postgres() {
  local bin; bin=$(pgbin)
  if [ ! -f "$VAR/pg/primer/PG_VERSION" ]; then
    say "initdb primer"
    as_pg "$bin/initdb" -D "$VAR/pg/primer" -A trust -U postgres >/dev/null
    cat >>"$VAR/pg/primer/postgresql.conf" <<EOF
wal_level = replica
max_wal_senders = 5
wal_keep_size = 256MB
hot_standby = on
max_connections = 100
shared_buffers = 128MB
EOF
  fi
  as_pg "$bin/pg_ctl" -D "$VAR/pg/primer" status >/dev/null 2>&1 || pg_start "$VAR/pg/primer" $P_PRIMER
  as_pg "$bin/psql" -h 127.0.0.1 -p $P_PRIMER -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" |
    grep -q 1 || as_pg "$bin/createdb" -h 127.0.0.1 -p $P_PRIMER -U postgres $DB
  if [ ! -f "$VAR/pg/replika/PG_VERSION" ]; then
    say "pg_basebackup replika (streaming, -R)"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p $P_PRIMER -U postgres -D "$VAR/pg/replika" -R -X stream --checkpoint=fast
  fi
  as_pg "$bin/pg_ctl" -D "$VAR/pg/replika" status >/dev/null 2>&1 || pg_start "$VAR/pg/replika" $P_REPLIKA
}

start_pgbouncer() {
  cat >"$VAR/conf/pgbouncer.ini" <<EOF
[databases]
$DB = host=127.0.0.1 port=$P_PRIMER dbname=$DB
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $P_BOUNCER
unix_socket_dir = $VAR/run
auth_type = trust
auth_file = $VAR/conf/userlist.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_login_retry = 1
logfile = $VAR/log/pgbouncer.log
pidfile = $VAR/run/pgbouncer.pid
EOF
  echo '"postgres" ""' >"$VAR/conf/userlist.txt"
  chown postgres "$VAR/conf/pgbouncer.ini" "$VAR/conf/userlist.txt"
  running "$VAR/run/pgbouncer.pid" || as_pg /usr/sbin/pgbouncer -d -q "$VAR/conf/pgbouncer.ini"
  wait_port $P_BOUNCER 10
}

start_redis() {
  running "$VAR/run/redis.pid" && return 0
  redis-server --port $P_REDIS --bind 127.0.0.1 --daemonize yes --dir "$VAR/redis" \
    --pidfile "$VAR/run/redis.pid" --logfile "$VAR/log/redis.log" --save "" --appendonly no \
    --maxmemory 256mb --maxmemory-policy allkeys-lru
  wait_port $P_REDIS 10
}

start_node() {  # start_node N PORT
  running "$VAR/run/node$1.pid" && return 0
  app_env
  # setsid: the node is its own process group, so a drill can stop the whole node (master + workers).
  setsid "$ROOT/.venv/bin/gunicorn" kinerja.wsgi --bind 127.0.0.1:"$2" --workers "${CLUSTER_WORKERS:-2}" \
    --timeout 30 --graceful-timeout 10 --access-logfile "$VAR/log/node$1-access.log" \
    --control-socket "$VAR/run/node$1.ctl" \
    >>"$VAR/log/node$1.log" 2>&1 </dev/null &
  echo $! >"$VAR/run/node$1.pid"
}

wait_healthy() {  # wait_healthy PORT SECONDS
  local i
  for ((i = 0; i < $2; i++)); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "http://127.0.0.1:$1/healthz")" = 200 ] &&
      return 0
    sleep 1
  done
  return 1
}

start_worker() {
  running "$VAR/run/worker.pid" && return 0
  app_env
  setsid "$PY" manage.py db_worker --no-reload >>"$VAR/log/worker.log" 2>&1 </dev/null &
  echo $! >"$VAR/run/worker.pid"
}

start_haproxy() {
  cat >"$VAR/conf/haproxy.cfg" <<EOF
global
    maxconn 1000
    stats socket $VAR/run/haproxy.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
    # a refused connection (a node that is gone) is tried again on the other node; so is a GET whose
    # node died under it (no answer), never a POST (it may have been saved: the user sees the error)
    retries 3
    option redispatch
    retry-on conn-failure empty-response response-timeout
frontend kinerja
    bind 127.0.0.1:$P_HAPROXY
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default_backend app
backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost
    http-check expect status 200
    # a node that is gone refuses the check at once (down after 3 s); a busy one may answer slowly
    timeout check 5s
    default-server inter 1s fall 3 rise 2
    server node1 127.0.0.1:$P_NODE1 check
    server node2 127.0.0.1:$P_NODE2 check
EOF
  if running "$VAR/run/haproxy.pid"; then
    haproxy -f "$VAR/conf/haproxy.cfg" -D -p "$VAR/run/haproxy.pid" -sf "$(cat "$VAR/run/haproxy.pid")"
  else
    haproxy -f "$VAR/conf/haproxy.cfg" -D -p "$VAR/run/haproxy.pid"
  fi
}

cmd_start() {
  ensure_packages
  mkdir -p "$VAR"/{pg,conf,log,run,redis}
  chown postgres "$VAR/pg" "$VAR/run" "$VAR/log"
  chmod 755 "$VAR/run"
  start_postgres
  start_pgbouncer
  start_redis
  app_env
  if [ ! -f "$VAR/.dimuat" ]; then
    say "migrate + data"
    DATABASE_URL="postgres://postgres@127.0.0.1:$P_PRIMER/$DB" "$PY" manage.py migrate --noinput -v 0
    if [ -n "${CLUSTER_PEGAWAI:-}" ]; then
      # --lengkap (logins, SKP, realisasi: what `make surge` needs) where this version has it
      local lengkap=""
      "$PY" manage.py generate_instansi --help | grep -q -- --lengkap && lengkap=--lengkap
      "$PY" manage.py generate_instansi --pegawai "$CLUSTER_PEGAWAI" --seed 1 $lengkap
    else
      "$PY" manage.py seed_demo
    fi
    "$PY" manage.py collectstatic --noinput -v 0
    touch "$VAR/.dimuat"
  fi
  start_node 1 $P_NODE1
  start_node 2 $P_NODE2
  start_worker
  start_haproxy
  wait_healthy $P_NODE1 90 && wait_healthy $P_NODE2 90 || { say "node tidak sehat; lihat $VAR/log/"; exit 1; }
  wait_healthy $P_HAPROXY 30
  say "siap: $URL  (node $P_NODE1 $P_NODE2, primer $P_PRIMER, replika $P_REPLIKA, pgbouncer $P_BOUNCER," \
    "redis $P_REDIS; log di var/cluster/log/)"
}

stop_pidfile() {  # stop_pidfile FILE [group]
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    if [ "${2:-}" = group ]; then kill -TERM -- "-$pid" 2>/dev/null || true; else kill -TERM "$pid" || true; fi
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}

cmd_stop() {
  stop_pidfile "$VAR/run/haproxy.pid"
  stop_pidfile "$VAR/run/node1.pid" group
  stop_pidfile "$VAR/run/node2.pid" group
  stop_pidfile "$VAR/run/worker.pid" group
  stop_pidfile "$VAR/run/redis.pid"
  stop_pidfile "$VAR/run/pgbouncer.pid"
  local bin; bin=$(pgbin)
  for d in replika primer; do
    [ -f "$VAR/pg/$d/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$VAR/pg/$d" -m fast stop >/dev/null 2>&1 || true
  done
  say "berhenti (data tetap di var/cluster/; hapus folder itu untuk mulai dari awal)"
}

cmd_status() {
  local bin ok=0; bin=$(pgbin)
  st() { if [ "$2" = 0 ]; then printf '  %-10s jalan\n' "$1"; else printf '  %-10s MATI\n' "$1"; ok=1; fi; }
  as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p $P_PRIMER; st primer $?
  as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p $P_REPLIKA; st replika $?
  running "$VAR/run/pgbouncer.pid"; st pgbouncer $?
  running "$VAR/run/redis.pid"; st redis $?
  wait_healthy $P_NODE1 1; st node1 $?
  wait_healthy $P_NODE2 1; st node2 $?
  # the worker: a task enqueued now must come back done
  app_env
  "$PY" manage.py shell -c "
import time
from kinerja.common.tugas import periksa_pekerja
r = periksa_pekerja.enqueue(7)
for _ in range(60):
    r.refresh()
    if r.status == 'SUCCESSFUL' and r.return_value == 7:
        raise SystemExit(0)
    time.sleep(0.5)
raise SystemExit(1)" >/dev/null 2>&1
  st worker $?
  wait_healthy $P_HAPROXY 1; st haproxy $?
  return $ok
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  # for the drills: one part stopped / started again
  stop-bagian)
    case "$2" in
      replika) as_pg "$(pgbin)/pg_ctl" -D "$VAR/pg/replika" -m immediate stop >/dev/null ;;
      redis) stop_pidfile "$VAR/run/redis.pid" ;;
      node1 | node2) stop_pidfile "$VAR/run/$2.pid" group ;;
    esac
    ;;
  start-bagian)
    case "$2" in
      replika) pg_start "$VAR/pg/replika" $P_REPLIKA ;;
      redis) start_redis ;;
      node1) start_node 1 $P_NODE1 && wait_healthy $P_NODE1 60 ;;
      node2) start_node 2 $P_NODE2 && wait_healthy $P_NODE2 60 ;;
    esac
    ;;
  # the app's environment, for a command against the cluster's data: eval "$(scripts/cluster.sh env)"
  env) app_env; for v in DATABASE_URL DATABASE_REPLICA_URL PGBOUNCER REDIS_URL DEBUG SECRET_KEY; do
      printf 'export %s=%q\n' "$v" "${!v}"; done ;;
  drill)
    shift
    app_env
    exec "$PY" scripts/cluster_drill.py --var "$VAR" --url "$URL" "$@"
    ;;
  *) echo "pakai: scripts/cluster.sh start|stop|status|drill" >&2; exit 2 ;;
esac
