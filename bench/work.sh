#!/usr/bin/env bash
# Work benchmark: 200 workflows and 50,000 work items with their stage history, on SQLite and
# PostgreSQL, signed in, under `wrk -t1 -c64`: the board of one workflow, the work list
# (first page, with its count), and a workflow's SOP page with its cycle-time figures. Each
# is reported with p50/p99 and as a ratio to /healthz of the same binary in the same run.
#
#   bash bench/work.sh
#   WORKFLOWS=50 ITEMS=5000 DURATION=5s BACKENDS=sqlite bash bench/work.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-200}
ITEMS=${ITEMS:-50000}
DURATION=${DURATION:-10s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
PG_ADMIN=${KEEL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release -q -p keel-cli
KEEL=$PWD/target/release/keel
OUT=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT
source "$(dirname "$0")/lib.sh"

printf '| backend | route | req/s | ratio to hello | p50 | p99 |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  if [ "$backend" = sqlite ]; then
    URL="sqlite://$OUT/work.db"
  else
    DB=keel_work_bench_$$
    psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    URL="${PG_ADMIN%/*}/$DB"
  fi
  seed_start=$(date +%s)
  "$KEEL" --database-url "$URL" demo --no-serve --workflows "$WORKFLOWS" --work-items "$ITEMS" > /dev/null
  seed_secs=$(( $(date +%s) - seed_start ))
  PORT=$((19000 + RANDOM % 1000))
  start_keel "$KEEL" "$URL" "$PORT"
  BASE="http://127.0.0.1:$PORT"
  SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
  [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
  COOKIE="Cookie: keel_session=$SESSION"
  WF=$(curl -s -H "$COOKIE" "$BASE/w/northwind-demo/workflows" | grep -o 'workflows/[0-9]*">Bench workflow 1<' | grep -o '[0-9]*' | head -n1)
  [ -n "$WF" ] || { echo "no bench workflow found" >&2; exit 1; }

  read -r h_rps h_p50 h_p99 <<< "$(wrk_run "$BASE/healthz")"
  read -r b_rps b_p50 b_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/work/board?workflow=$WF" "$COOKIE")"
  read -r l_rps l_p50 l_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/work" "$COOKIE")"
  read -r f_rps f_p50 f_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/workflows/$WF" "$COOKIE")"
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true
  ratio() { awk -v a="$1" -v b="$h_rps" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
  {
    echo "| $backend | /healthz (hello) | $h_rps | 100% | $h_p50 | $h_p99 |"
    echo "| $backend | board of one workflow | $b_rps | $(ratio "$b_rps") | $b_p50 | $b_p99 |"
    echo "| $backend | work list, first page | $l_rps | $(ratio "$l_rps") | $l_p50 | $l_p99 |"
    echo "| $backend | SOP page with cycle figures | $f_rps | $(ratio "$f_rps") | $f_p50 | $f_p99 |"
  } >> "$OUT/table.md"
  echo "$backend: seeded $WORKFLOWS workflows and $ITEMS items in ${seed_secs}s; peak RSS $((rss_kb / 1024)) MB" >> "$OUT/notes.txt"
  if [ "$backend" = postgres ]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; fi
done
echo "$WORKFLOWS workflows, $ITEMS work items, wrk -t1 -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
