#!/usr/bin/env bash
# Many instansi in one database (docs/scale.md "Many instansi in one database"): migrate, then generate
# COUNT instansi of PEGAWAI pegawai each, seeds 1..COUNT, the first LENGKAP of them with --lengkap
# (code LENGKAP-<seed>-<pegawai>: logins, approved SKP, rencana aksi, realisasi), the rest plain
# (GEN-<seed>-<pegawai>: units, jabatan, pegawai, penempatan, periode), then ANALYZE (PostgreSQL).
# Idempotent: an instansi whose code is already there is skipped, so a run that stopped can be resumed.
# A plain GEN-<seed>-<pegawai> left by an earlier run with a smaller LENGKAP is replaced by its
# LENGKAP-<seed>-<pegawai> (generate_instansi --ganti, in one transaction): raising LENGKAP and running
# again turns plain instansi into --lengkap ones.
# Runs under `nice -n 5`; prints one line per instansi with its time.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:55641/multi scripts/multi-instansi.sh [COUNT] [LENGKAP] [PEGAWAI]
#
# Defaults: COUNT 20, LENGKAP 20 (every one), PEGAWAI 20000.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-20}
LENGKAP=${2:-$COUNT}
PEGAWAI=${3:-20000}
PY=${PY:-.venv/bin/python}
: "${DATABASE_URL:?set DATABASE_URL to the database to fill}"
export DATABASE_URL DEBUG=false

nice -n 5 "$PY" manage.py migrate --noinput -v 0
mulai=$(date +%s)
for seed in $(seq 1 "$COUNT"); do
  if [ "$seed" -le "$LENGKAP" ]; then kode="LENGKAP-$seed-$PEGAWAI"; opsi="--lengkap --ganti GEN-$seed-$PEGAWAI"; else kode="GEN-$seed-$PEGAWAI"; opsi=; fi
  t0=$(date +%s)
  # shellcheck disable=SC2086
  if ! keluar=$(nice -n 5 "$PY" manage.py generate_instansi --pegawai "$PEGAWAI" --seed "$seed" --kode "$kode" $opsi 2>&1); then
    if grep -q "sudah ada" <<<"$keluar"; then echo "[$seed/$COUNT] $kode sudah ada, dilewati"; continue; fi
    echo "$keluar" >&2
    exit 1
  fi
  sed 's/^/    /' <<<"$keluar"
  echo "[$seed/$COUNT] $kode: $(( $(date +%s) - t0 )) s (jumlah $(( $(date +%s) - mulai )) s), load $(cut -d' ' -f1 /proc/loadavg)"
done
case "$DATABASE_URL" in
  postgres*)
    echo "ANALYZE …"
    nice -n 5 "$PY" manage.py shell -c "from django.db import connection; connection.cursor().execute('ANALYZE')"
    ;;
esac
echo "selesai dalam $(( $(date +%s) - mulai )) s"
