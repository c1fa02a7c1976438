#!/usr/bin/env bash
# Backup under load (issue 14): the workflow benchmark's database (200 workflows, 50,000 work
# items, shared with bench/work.sh) served by `keel serve` while `wrk -t1 -c16` reads the work
# list and the board. First the reads alone; then the same reads while backups run back to
# back for the whole wrk run (`keel backup` on SQLite, the `pg_dump --format=custom` it
# prints on PostgreSQL). Reports the reads' req/s and p99 both ways, and each backup's time
# and size.
#
#   bash bench/backup.sh
#   WORKFLOWS=20 ITEMS=2000 DURATION=10s BACKENDS=sqlite bash bench/backup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-200}
ITEMS=${ITEMS:-50000}
REVIEW_YEARS=${REVIEW_YEARS:-3}
DURATION=${DURATION:-20s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
source "$(dirname "$0")/lib.sh"
bench_setup

cat > "$OUT/reads.lua" <<'LUA'
-- Alternate the work list and the board of every workflow.
local n = 0
request = function()
  n = n + 1
  if n % 2 == 0 then return wrk.format("GET", "/w/northwind-demo/work/board") end
  return wrk.format("GET", "/w/northwind-demo/work")
end
LUA

reads() { # -> "rps p50 p99"
  wrk -t1 -c16 -d"$DURATION" --latency -s "$OUT/reads.lua" -H "Cookie: keel_session=$SESSION" "$BASE" > "$OUT/wrk-$1.txt"
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk-$1.txt")
  [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx answers" >&2
  echo "$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$1.txt") $(awk '$1=="50%" {print $2}' "$OUT/wrk-$1.txt") $(awk '$1=="99%" {print $2}' "$OUT/wrk-$1.txt")"
}

printf '| backend | reads | req/s | p50 | p99 | backups made | each backup | backup size |\n|---|---|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  seed_bench "$KEEL" "$backend"
  PORT=$((22000 + RANDOM % 1000))
  start_keel "$KEEL" "$URL" "$PORT"
  BASE="http://127.0.0.1:$PORT"
  SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
  [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
  curl -s -o /dev/null -H "Cookie: keel_session=$SESSION" "$BASE/w/northwind-demo/work/board"
  read -r q_rps q_p50 q_p99 <<< "$(reads quiet)"
  echo "| $backend | alone | $q_rps | $q_p50 | $q_p99 | | | |" >> "$OUT/table.md"

  reads busy > "$OUT/busy.txt" &
  WRK=$!
  made=0; total_ms=0; size=0
  while kill -0 "$WRK" 2>/dev/null; do
    t0=$(date +%s%N)
    if [ "$backend" = sqlite ]; then
      rm -f "$OUT/copy.db"
      "$KEEL" --database-url "$URL" backup "$OUT/copy.db" > /dev/null
      size=$(stat -c %s "$OUT/copy.db")
    else
      pg_dump --format=custom --no-owner --file="$OUT/copy.dump" "$URL"
      size=$(stat -c %s "$OUT/copy.dump")
    fi
    total_ms=$(( total_ms + ($(date +%s%N) - t0) / 1000000 ))
    made=$((made + 1))
  done
  wait "$WRK"
  read -r b_rps b_p50 b_p99 < "$OUT/busy.txt"
  echo "| $backend | during backups | $b_rps | $b_p50 | $b_p99 | $made | $((total_ms / made)) ms | $((size / 1048576)) MB |" >> "$OUT/table.md"
  kill "$PID"; wait "$PID" 2>/dev/null || true
done
echo "$WORKFLOWS workflows, $ITEMS work items, reads by wrk -t1 -c16 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
