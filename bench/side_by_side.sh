#!/usr/bin/env bash
# Two keel binaries on the same seeded database, one after the other, so a change is measured
# against its parent on the same machine in the same minutes (the PostgreSQL figures move by a
# quarter between runs on two cores). Per binary: start, sign in, one warming request, then
# `wrk -t1 -c64 -d10s` on /healthz and each route. The older binary goes first: a newer one
# may migrate the database past what the older knows.
#
#   bash bench/side_by_side.sh OLD_KEEL NEW_KEEL [DATABASE_URL]
#   ROUTES="strategy priorities" DURATION=10s bash bench/side_by_side.sh ...
# DATABASE_URL defaults to the PostgreSQL database bench/strategy.sh seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
OLD=$1 NEW=$2
URL=${3:-postgres://postgres@127.0.0.1:5432/keel_bench_w200_i50000_r0_s}
ROUTES=${ROUTES:-"strategy priorities"}
DURATION=${DURATION:-10s}
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT
printf '| binary | route | req/s | p50 | p99 |\n|---|---|---|---|---|\n'
for keel in "$OLD" "$NEW"; do
  PORT=$((23000 + RANDOM % 1000))
  start_keel "$keel" "$URL" "$PORT"
  BASE="http://127.0.0.1:$PORT"
  COOKIE="Cookie: keel_session=$(sign_in "$BASE" demo@keel.local keel-demo-2026)"
  sleep 2
  read -r rps p50 p99 <<< "$(wrk_run "$BASE/healthz")"
  echo "| $keel | /healthz | $rps | $p50 | $p99 |"
  for r in $ROUTES; do
    read -r rps p50 p99 <<< "$(wrk_run "$BASE/w/northwind-demo/$r" "$COOKIE")"
    echo "| $keel | $r | $rps | $p50 | $p99 |"
  done
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
