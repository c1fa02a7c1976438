#!/usr/bin/env bash
# Agenda benchmark (issue 12): the workflow benchmark's data (200 workflows, 50,000 work items)
# with three years of weekly, monthly and quarterly reviews before the demo's own (about 200
# reviews, 2,000 decisions). Today's weekly, monthly and quarterly reviews are open, so each
# request generates its agenda from the data: the review page and GET /api/v1/reviews/{id},
# with one client at a time (`wrk -t1 -c1`: the time to generate and render one agenda, the
# target) and under load (`-c64`), p50/p99 and the ratio to /healthz of the same binary.
# The seeded databases are shared with bench/work.sh and kept between runs.
#
#   bash bench/agenda.sh
#   WORKFLOWS=20 ITEMS=2000 REVIEW_YEARS=1 DURATION=3s BACKENDS=sqlite bash bench/agenda.sh
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
  TOKEN=$("$KEEL" --database-url "$URL" token create --workspace northwind-demo --email demo@keel.local --role member --name "agenda bench $$" | grep -o 'keel_[0-9a-f]*' | head -n1)
  PORT=$((20000 + RANDOM % 1000))
  start_keel "$KEEL" "$URL" "$PORT"
  BASE="http://127.0.0.1:$PORT"
  SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
  [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
  COOKIE="Cookie: keel_session=$SESSION"
  AUTH="Authorization: Bearer $TOKEN"
  curl -s -H "$AUTH" -H "X-Keel-Workspace: northwind-demo" "$BASE/api/v1/reviews?limit=100" > "$OUT/reviews.json"
  read -r h_rps h_p50 h_p99 <<< "$(wrk_run "$BASE/healthz")"
  echo "| $backend | /healthz (hello) | $h_rps | 100% | $h_p50 | $h_p99 |" >> "$OUT/table.md"
  for kind in weekly monthly quarterly; do
    ID=$(python3 -c "
import json, sys
rs = json.load(open('$OUT/reviews.json'))['reviews']
print(next(r['id'] for r in rs if r['status'] == 'open' and r['kind'] == '$kind'))")
    for conns in 1 64; do
      read -r p_rps p_p50 p_p99 <<< "$(CONNS=$conns wrk_run "$BASE/w/northwind-demo/reviews/$ID" "$COOKIE")"
      echo "| $backend | $kind review page, -c$conns | $p_rps | $(ratio "$p_rps" "$h_rps") | $p_p50 | $p_p99 |" >> "$OUT/table.md"
      read -r a_rps a_p50 a_p99 <<< "$(CONNS=$conns wrk_run "$BASE/api/v1/reviews/$ID" "$AUTH")"
      echo "| $backend | GET /api/v1/reviews/{id}, $kind, -c$conns | $a_rps | $(ratio "$a_rps" "$h_rps") | $a_p50 | $a_p99 |" >> "$OUT/table.md"
    done
  done
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true
  echo "$backend: seeded in ${SEED_SECS}s (0 = kept from an earlier run); peak RSS $((rss_kb / 1024)) MB" >> "$OUT/notes.txt"
done
echo "$WORKFLOWS workflows, $ITEMS work items, $REVIEW_YEARS years of reviews, wrk -t1 -c1 and -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
