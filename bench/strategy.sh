#!/usr/bin/env bash
# Strategy benchmark (issue 11): the workflow benchmark's data (200 workflows, 50,000 work
# items) plus 50 objectives, 200 priorities, 20 channels and 100 weekly metrics with five
# years of values (`keel demo --strategy-bench`). Under `wrk -t1 -c64`: the strategy page,
# the priorities page, a metric page with its chart (the page and the SVG), each with p50/p99
# and as a ratio to /healthz of the same binary in the same run. The seeded databases are
# kept between runs (`seed_bench` in lib.sh).
#
#   bash bench/strategy.sh
#   WORKFLOWS=20 ITEMS=2000 DURATION=3s BACKENDS=sqlite bash bench/strategy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORKFLOWS=${WORKFLOWS:-200}
ITEMS=${ITEMS:-50000}
REVIEW_YEARS=${REVIEW_YEARS:-0}
STRATEGY=1
DURATION=${DURATION:-10s}
BACKENDS=${BACKENDS:-"sqlite postgres"}
source "$(dirname "$0")/lib.sh"
bench_setup

printf '| backend | route | req/s | ratio to hello | p50 | p99 |\n|---|---|---|---|---|---|\n' > "$OUT/table.md"
for backend in $BACKENDS; do
  seed_bench "$KEEL" "$backend"
  PORT=$((23000 + RANDOM % 1000))
  start_keel "$KEEL" "$URL" "$PORT"
  BASE="http://127.0.0.1:$PORT"
  SESSION=$(sign_in "$BASE" demo@keel.local keel-demo-2026)
  [ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
  COOKIE="Cookie: keel_session=$SESSION"
  METRIC=$(curl -s -H "$COOKIE" "$BASE/w/northwind-demo/metrics" | grep -o 'metrics/[0-9]*">Benchmark metric 7<' | grep -o '[0-9]*' | head -n1)
  [ -n "$METRIC" ] || { echo "no benchmark metric found" >&2; exit 1; }
  read -r h_rps h_p50 h_p99 <<< "$(wrk_run "$BASE/healthz")"
  echo "| $backend | /healthz (hello) | $h_rps | 100% | $h_p50 | $h_p99 |" >> "$OUT/table.md"
  for route in "strategy page|/w/northwind-demo/strategy" "priorities page|/w/northwind-demo/priorities" \
               "metric page (260 weekly values)|/w/northwind-demo/metrics/$METRIC" \
               "metric chart (SVG)|/w/northwind-demo/metrics/$METRIC/chart.svg" \
               "metrics page|/w/northwind-demo/metrics"; do
    read -r r_rps r_p50 r_p99 <<< "$(wrk_run "$BASE${route#*|}" "$COOKIE")"
    echo "| $backend | ${route%%|*} | $r_rps | $(ratio "$r_rps" "$h_rps") | $r_p50 | $r_p99 |" >> "$OUT/table.md"
  done
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true
  echo "$backend: seeded in ${SEED_SECS}s (0 = kept from an earlier run); peak RSS $((rss_kb / 1024)) MB" >> "$OUT/notes.txt"
done
echo "$WORKFLOWS workflows, $ITEMS work items, 50 objectives, 200 priorities, 20 channels, 100 metrics x 260 weeks; wrk -t1 -c64 -d$DURATION --latency, $(nproc) cores"
cat "$OUT/table.md"
echo
cat "$OUT/notes.txt"
