#!/usr/bin/env bash
# Whole-system web benchmark: the demo workspace scaled N times, on SQLite and PostgreSQL,
# signed in, under `wrk -t1 -c64 -d10s --latency`. Each route is reported as a ratio to the
# bare /healthz route of the same binary measured in the same run, with p50, p99, the server's
# peak RSS, and the time from `keel serve` to the first answered request.
#
#   bash bench/web.sh            # scale 50, both backends
#   SCALE=10 DURATION=5s BACKENDS=sqlite bash bench/web.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-50}
DURATION=${DURATION:-10s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
source "$(dirname "$0")/lib.sh"
bench_setup

printf '| backend | route | req/s | ratio to hello | p50 | p99 |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    URL="sqlite://$OUT/bench.db"
  else
    DB=keel_bench_$$
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    URL="${PG_ADMIN%/*}/$DB"
  fi
  "$KEEL" --database-url "$URL" demo --no-serve --scale "$SCALE" > /dev/null
  TOKEN=$("$KEEL" --database-url "$URL" token create --workspace northwind-demo --email demo@keel.local --role member --name bench | grep -o 'keel_[0-9a-f]*' | head -n1)
  PORT=$((18000 + RANDOM % 1000))
  start_keel "$KEEL" "$URL" "$PORT"
  ready_ms=$READY_MS
  BASE="http://127.0.0.1:$PORT"
  SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
  [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }

  read -r h_rps h_p50 h_p99 <<< "$(wrk_run "$BASE/healthz")"
  read -r o_rps o_p50 o_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/ownership" "Cookie: keel_session=$SESSION")"
  read -r a_rps a_p50 a_p99 <<< "$(wrk_run "$BASE/api/v1/people" "Authorization: Bearer $TOKEN")"
  # A person page: the first person of the demo team (with functions, work and commitments).
  PERSON=$(curl -s -H "Authorization: Bearer $TOKEN" -H "X-Keel-Workspace: northwind-demo" "$BASE/api/v1/people" | grep -o '"id":[0-9]*' | head -n1 | cut -d: -f2)
  read -r p_rps p_p50 p_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/people/$PERSON" "Cookie: keel_session=$SESSION")"
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true
  ratio() { awk -v a="$1" -v b="$h_rps" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
  {
    echo "| $backend | /healthz (hello) | $h_rps | 100% | $h_p50 | $h_p99 |"
    echo "| $backend | ownership page | $o_rps | $(ratio "$o_rps") | $o_p50 | $o_p99 |"
    echo "| $backend | GET /api/v1/people | $a_rps | $(ratio "$a_rps") | $a_p50 | $a_p99 |"
    echo "| $backend | person page | $p_rps | $(ratio "$p_rps") | $p_p50 | $p_p99 |"
  } >> "$OUT/table.md"
  echo "$backend: peak RSS $((rss_kb / 1024)) MB, first answer ${ready_ms} ms after start" >> "$OUT/notes.txt"
  if [ "$backend" = postgres ]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; fi
done
echo "scale $SCALE, wrk -t1 -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
