#!/usr/bin/env bash
# Memory benchmark (issue 14): an agency node serving many client workspaces. `keel demo
# --workspaces 200` makes 200 copies of the demo workspace; wrk then visits them in turn
# (each request the next workspace's home page, 64 connections) against one `keel serve`
# with the model cache bounded (`--model-cache-records`), once with the default bound and
# once with a bound that holds only a few workspaces, so that models are dropped and read
# again under load. Reports req/s, p50/p99 and the server's peak RSS for each.
#
#   bash bench/workspaces.sh
#   WORKSPACES=20 DURATION=5s BACKENDS=sqlite bash bench/workspaces.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORKSPACES=${WORKSPACES:-200}
DURATION=${DURATION:-20s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
# Records held over all models: the default, and about ten demo workspaces' worth.
BOUNDS=${BOUNDS:-"500000 2000"}
source "$(dirname "$0")/lib.sh"
bench_setup
CACHE=${BENCH_CACHE:-$PWD/target/bench-data}

cat > "$OUT/rotate.lua" <<LUA
-- Each request goes to the next workspace's home page.
local n = 0
local count = $WORKSPACES
request = function()
  n = n % count + 1
  local slug = "northwind-demo"
  if n > 1 then slug = slug .. "-" .. n end
  return wrk.format("GET", "/w/" .. slug)
end
LUA

printf '| backend | model cache bound (records) | req/s | p50 | p99 | peak RSS |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  start=$(date +%s)
  if [ "$backend" = sqlite ]; then
    mkdir -p "$CACHE"
    file="$CACHE/workspaces_$WORKSPACES.db"
    if [ ! -f "$file" ]; then
      rm -f "$file.part"*
      "$KEEL" --database-url "sqlite://$file.part" demo --no-serve --workspaces "$WORKSPACES" > /dev/null
      mv "$file.part" "$file"; rm -f "$file.part"*
    fi
    URL="sqlite://$file"
  else
    db="keel_bench_workspaces_$WORKSPACES"
    if [ -z "$(psql -tAq "$PG_ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS ${db}_part WITH (FORCE)" -c "CREATE DATABASE ${db}_part"
      "$KEEL" --database-url "${PG_ADMIN%/*}/${db}_part" demo --no-serve --workspaces "$WORKSPACES" > /dev/null
      psql -q "$PG_ADMIN" -c "ALTER DATABASE ${db}_part RENAME TO $db"
    fi
    URL="${PG_ADMIN%/*}/$db"
  fi
  echo "$backend: $WORKSPACES workspaces ready in $(( $(date +%s) - start ))s (0 = kept from an earlier run)" >> "$OUT/notes.txt"
  for bound in $BOUNDS; do
    PORT=$((21000 + RANDOM % 1000))
    start=$(date +%s%N)
    KEEL_LOG=warn "$KEEL" --database-url "$URL" serve --bind "127.0.0.1:$PORT" --model-cache-records "$bound" > "$OUT/serve.log" 2>&1 &
    PID=$!
    until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.005; done
    BASE="http://127.0.0.1:$PORT"
    SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
    [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
    wrk -t1 -c64 -d"$DURATION" --latency -s "$OUT/rotate.lua" -H "Cookie: keel_session=$SESSION" "$BASE" > "$OUT/wrk.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
    p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk.txt")
    p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
    [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx answers" >&2
    rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
    kill "$PID"; wait "$PID" 2>/dev/null || true
    echo "| $backend | $bound | $rps | $p50 | $p99 | $((rss_kb / 1024)) MB |" >> "$OUT/table.md"
  done
done
echo "$WORKSPACES demo workspaces visited in turn, wrk -t1 -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
