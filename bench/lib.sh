#!/usr/bin/env bash
# Shared by the bench scripts: setting up, wrk runs parsed into "req/s p50 p99", signing in
# like a browser to get a session cookie, and the seeded benchmark databases.

# bench_setup: wrk installed, the release binary built; sets PG_ADMIN, KEEL and OUT (a
# scratch folder removed on exit, with any server still running).
bench_setup() {
  PG_ADMIN=${KEEL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  cargo build --release -q -p keel-cli
  KEEL=$PWD/target/release/keel
  OUT=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$OUT"' EXIT
}

wrk_run() { # url [header] -> "rps p50 p99"; CONNS connections (default 64)
  local url=$1 header=${2:-}
  local args=(-t1 -c"${CONNS:-64}" -d"$DURATION" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  # One request first, so the figures are of a warm server, not of its first cache fill.
  if [ -n "$header" ]; then curl -s -o /dev/null -H "$header" "$url"; else curl -s -o /dev/null "$url"; fi
  wrk "${args[@]}" "$url" > "$OUT/wrk.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$OUT/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$OUT/wrk.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
  if [ -n "$non2xx" ]; then echo "warning: $non2xx non-2xx answers from $url" >&2; fi
  echo "$rps $p50 $p99"
}


# sign_in BASE EMAIL PASSWORD -> prints the session cookie value
sign_in() {
  local base=$1 email=$2 password=$3
  curl -s -c "$OUT/jar" "$base/login" > "$OUT/login.html"
  local csrf
  csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$OUT/login.html" | head -n1 | sed 's/.*value="//; s/"//')
  curl -s -b "$OUT/jar" -c "$OUT/jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/login"
  awk '$6=="keel_session" {print $7}' "$OUT/jar"
}

# start_keel KEEL URL PORT -> sets PID and READY_MS
start_keel() {
  local start
  start=$(date +%s%N)
  KEEL_LOG=warn "$1" --database-url "$2" serve --bind "127.0.0.1:$3" > "$OUT/serve.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$3/healthz" > /dev/null; do sleep 0.005; done
  READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
}

# seed_bench KEEL BACKEND -> sets URL and SEED_SECS (0 when reused)
# The issue 4 benchmark workspace (WORKFLOWS workflows, ITEMS work items, REVIEW_YEARS years
# of reviews, and with STRATEGY=1 the strategy benchmark's objectives, priorities, channels
# and metrics) takes minutes to seed, so it is kept between runs: a SQLite file under
# $BENCH_CACHE (default target/bench-data) or a PostgreSQL database named after the sizes.
# Each is seeded under a temporary name and renamed when complete, so an interrupted seed is
# never reused. Benchmarks only read it (and sign in).
seed_bench() {
  local keel=$1 backend=$2
  local key="w${WORKFLOWS}_i${ITEMS}_r${REVIEW_YEARS:-0}"
  local cache=${BENCH_CACHE:-$PWD/target/bench-data}
  local args=(demo --no-serve --workflows "$WORKFLOWS" --work-items "$ITEMS" --review-years "${REVIEW_YEARS:-0}")
  if [ "${STRATEGY:-0}" = 1 ]; then key="${key}_s"; args+=(--strategy-bench); fi
  local start
  start=$(date +%s)
  SEED_SECS=0
  if [ "$backend" = sqlite ]; then
    mkdir -p "$cache"
    local file="$cache/$key.db"
    if [ ! -f "$file" ]; then
      rm -f "$file.part"*
      "$keel" --database-url "sqlite://$file.part" "${args[@]}" > /dev/null
      mv "$file.part" "$file"
      rm -f "$file.part"*
      SEED_SECS=$(( $(date +%s) - start ))
    fi
    URL="sqlite://$file"
  else
    local db="keel_bench_$key"
    if [ -z "$(psql -tAq "$PG_ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
      # The seed commits row by row; not waiting for each commit's flush makes it several
      # times faster, and an interrupted seed is thrown away anyway. Measurements then run
      # with the server's own setting.
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS ${db}_part WITH (FORCE)" -c "CREATE DATABASE ${db}_part" \
        -c "ALTER DATABASE ${db}_part SET synchronous_commit = off"
      "$keel" --database-url "${PG_ADMIN%/*}/${db}_part" "${args[@]}" > /dev/null
      psql -q "$PG_ADMIN" -c "ALTER DATABASE ${db}_part RENAME TO $db" -c "ALTER DATABASE $db RESET synchronous_commit"
      psql -q "${PG_ADMIN%/*}/$db" -c "VACUUM ANALYZE"
      SEED_SECS=$(( $(date +%s) - start ))
    fi
    URL="${PG_ADMIN%/*}/$db"
  fi
}

# ratio RPS HELLO_RPS -> "12.3%"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
