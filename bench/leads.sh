#!/usr/bin/env bash
# Lead import and lead quality at a million leads, side by side with what a user would do by
# hand, in one run on this machine:
#   bash bench/leads.sh            ROWS=1000000 SEED=7 by default; PG=0 skips PostgreSQL
# Prints a Markdown table for docs/benchmarks.md. Needs sqlite3, psql, /usr/bin/time, and a
# PostgreSQL server at KEEL_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
SEED=${SEED:-7}
PG=${PG:-1}
PGURL=${KEEL_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
KEEL=${KEEL_BIN:-target/release/keel}
[ -n "${KEEL_BIN:-}" ] || cargo build -q --release -p keel-cli
OUT=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$OUT"; }
trap cleanup EXIT
CSV=$OUT/contacts.csv
python3 bench/hubspot_gen.py "$ROWS" "$SEED" > "$CSV"
SIZE_MB=$(( $(stat -c %s "$CSV") / 1000000 ))
echo "file: $ROWS rows, $SIZE_MB MB" >&2

# timed LABEL CMD... -> "seconds peak_rss_mb" of CMD (its own process tree, by /usr/bin/time)
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" > "$OUT/$label.out" 2> "$OUT/$label.err" || { cat "$OUT/$label.err" >&2; exit 1; }
  awk '{printf "%s %d\n", $1, $2/1024}' "$OUT/time.txt"
}
row() { # label seconds rss
  awk -v l="$1" -v s="$2" -v m="$3" -v n="$ROWS" 'BEGIN { printf "| %s | %.1f s | %\047d | %s |\n", l, s, n/s, (m == "-" ? "–" : m " MB") }'
}

echo "| path | time | rows/s | peak RSS |"
echo "|---|---|---|---|"

# keel into SQLite: parse, stage, publish with the leads' indexes and rollups.
DB="sqlite://$OUT/keel.db"
KEEL_PASSWORD=bench-password-2026 "$KEEL" --database-url "$DB" user create --email bench@keel.local --name Bench > /dev/null
"$KEEL" --database-url "$DB" workspace create --slug acme --name Acme --owner bench@keel.local > /dev/null
read -r s m < <(timed keel-sqlite "$KEEL" --database-url "$DB" import leads "$CSV")
row "keel import, SQLite (new leads)" "$s" "$m"
read -r s m < <(timed keel-sqlite-again "$KEEL" --database-url "$DB" import leads "$CSV")
row "keel import again, SQLite (nothing new)" "$s" "$m"
grep -o 'Imported.*' "$OUT/keel-sqlite-again.out" >&2

# sqlite3 .import of the same file into a bare table (what a user does by hand).
read -r s m < <(timed sqlite3 sqlite3 "$OUT/bare.db" -cmd ".mode csv" ".import $CSV contacts")
row "sqlite3 .import into a bare table" "$s" "$m"

# SQLite's own cost of storing the imported leads again into a table with keel's three
# indexes on leads (one INSERT … SELECT in the sqlite3 shell): the floor of any publish.
cp "$OUT/keel.db" "$OUT/floor.db"
sqlite3 "$OUT/floor.db" "PRAGMA wal_checkpoint(TRUNCATE); CREATE TABLE l2 AS SELECT * FROM leads WHERE 0;
  CREATE UNIQUE INDEX l2_external ON l2(workspace_id, source_system, external_id);
  CREATE INDEX l2_created ON l2(workspace_id, created_on, id);
  CREATE INDEX l2_queue ON l2(workspace_id, qualification, created_on, id);" > /dev/null
read -r s m < <(timed floor sqlite3 "$OUT/floor.db" "INSERT INTO l2 SELECT * FROM leads")
row "sqlite3: the same leads into a table with keel's indexes" "$s" "$m"
rm -f "$OUT"/floor.db*

# keel's parser alone (reading, decoding, dates, profile): the floor of keel's own work.
PARSE=target/release/examples/parse_only
[ -x "$PARSE" ] || cargo build -q --release -p keel-import --example parse_only
read -r s m < <(timed parse "$PARSE" "$CSV")
row "keel's parser alone (rows discarded)" "$s" "$m"

# Lead quality over the imported leads: the API, 200 requests one after another.
TOKEN=$("$KEEL" --database-url "$DB" token create --workspace acme --email bench@keel.local --role owner --name bench | grep -o 'keel_[0-9a-f]*' | head -n1)
PORT=$((20000 + RANDOM % 20000))
KEEL_LOG=warn "$KEEL" --database-url "$DB" serve --bind "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null; do sleep 0.05; done
for _ in $(seq 1 200); do
  curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/lead-quality"
done | sort -n > "$OUT/lq.txt"
kill "$PID"; PID=
P50=$(awk 'NR==100 {printf "%.1f", $1*1000}' "$OUT/lq.txt")
P99=$(awk 'NR==198 {printf "%.1f", $1*1000}' "$OUT/lq.txt")
echo "lead quality API at $ROWS leads (SQLite): p50 $P50 ms, p99 $P99 ms" >&2
LQ="GET /api/v1/lead-quality over $ROWS leads, SQLite, 200 requests in a row: p50 $P50 ms, p99 $P99 ms"

if [ "$PG" = 1 ]; then
  NAME=keel_bench_$$
  psql -q "$PGURL" -c "CREATE DATABASE $NAME" > /dev/null
  PGDB="${PGURL%/*}/$NAME"
  "$KEEL" --database-url "$PGDB" workspace create --slug acme --name Acme > /dev/null
  read -r s m < <(timed keel-pg "$KEEL" --database-url "$PGDB" import leads "$CSV")
  row "keel import, PostgreSQL (new leads; RSS of keel only)" "$s" "$m"
  read -r s m < <(timed keel-pg-again "$KEEL" --database-url "$PGDB" import leads "$CSV")
  row "keel import again, PostgreSQL (nothing new)" "$s" "$m"
  psql -q "$PGDB" -c "CREATE TABLE contacts (id text, first text, last text, email text, created text, stage text, status text, source text, detail text, conversion text, campaign text, owner text, revenue text)" > /dev/null
  read -r s m < <(timed psql psql -q "$PGDB" -c "\\copy contacts FROM '$CSV' WITH (FORMAT csv, HEADER true)")
  row "psql \\copy into a bare table (RSS of psql only)" "$s" "-"
  psql -q "$PGURL" -c "DROP DATABASE $NAME WITH (FORCE)" > /dev/null
fi
echo
echo "$LQ"
