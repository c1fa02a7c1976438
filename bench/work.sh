#!/usr/bin/env bash
# Work benchmark: 200 workflows and 50,000 work items with their stage history, on SQLite and
# PostgreSQL, signed in, under `wrk -t1 -c64`: the board of one workflow, the board of every
# workflow at once, search across work, workflows, people and functions, the work list (first
# page, with its count), and a workflow's SOP page with its cycle-time figures. Each is
# reported with p50/p99 and as a ratio to /healthz of the same binary in the same run. The
# seeded databases are kept for the next run (`seed_bench` in lib.sh).
#
#   bash bench/work.sh
#   WORKFLOWS=50 ITEMS=5000 DURATION=5s BACKENDS=sqlite bash bench/work.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-200}
ITEMS=${ITEMS:-50000}
REVIEW_YEARS=${REVIEW_YEARS:-3}
DURATION=${DURATION:-10s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
source "$(dirname "$0")/lib.sh"
bench_setup

printf '| backend | route | req/s | ratio to hello | p50 | p99 |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  seed_bench "$KEEL" "$backend"
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
  read -r a_rps a_p50 a_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/work/board" "$COOKIE")"
  read -r s_rps s_p50 s_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/search?q=webinar" "$COOKIE")"
  read -r l_rps l_p50 l_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/work" "$COOKIE")"
  read -r f_rps f_p50 f_p99 <<< "$(wrk_run "$BASE/w/northwind-demo/workflows/$WF" "$COOKIE")"
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true
  {
    echo "| $backend | /healthz (hello) | $h_rps | 100% | $h_p50 | $h_p99 |"
    echo "| $backend | board of one workflow | $b_rps | $(ratio "$b_rps" "$h_rps") | $b_p50 | $b_p99 |"
    echo "| $backend | board of every workflow | $a_rps | $(ratio "$a_rps" "$h_rps") | $a_p50 | $a_p99 |"
    echo "| $backend | search \"webinar\" | $s_rps | $(ratio "$s_rps" "$h_rps") | $s_p50 | $s_p99 |"
    echo "| $backend | work list, first page | $l_rps | $(ratio "$l_rps" "$h_rps") | $l_p50 | $l_p99 |"
    echo "| $backend | SOP page with cycle figures | $f_rps | $(ratio "$f_rps" "$h_rps") | $f_p50 | $f_p99 |"
  } >> "$OUT/table.md"
  echo "$backend: $WORKFLOWS workflows, $ITEMS items (seeded in ${SEED_SECS}s, 0 = kept from an earlier run); peak RSS $((rss_kb / 1024)) MB" >> "$OUT/notes.txt"
done
echo "$WORKFLOWS workflows, $ITEMS work items, wrk -t1 -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
