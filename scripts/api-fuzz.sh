#!/usr/bin/env bash
# Fuzzes the JSON API of the running binary with schemathesis, from its own OpenAPI document,
# with an owner's API token on the demo workspace: no 5xx, no answer that breaks the schema.
#   bash scripts/api-fuzz.sh          (uses target/debug/keel, building it if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${EXAMPLES:-40}
KEEL=${KEEL_BIN:-target/debug/keel}
[ -n "${KEEL_BIN:-}" ] || cargo build -q -p keel-cli
WORK=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
URL="sqlite://$WORK/fuzz.db"
"$KEEL" --database-url "$URL" demo --no-serve > /dev/null
TOKEN=$("$KEEL" --database-url "$URL" token create --workspace northwind-demo --email demo@keel.local --role owner --name fuzz | grep -o 'keel_[0-9a-f]*' | head -n1)
"$KEEL" --database-url "$URL" serve --bind 127.0.0.1:0 > "$WORK/serve.out" 2> "$WORK/serve.err" &
PID=$!
for _ in $(seq 1 100); do grep -q 'listening on' "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out" | head -n1)
[ -n "$BASE" ] || { echo "keel did not start:"; cat "$WORK/serve.err"; exit 1; }
cd "$WORK"
python3 -m schemathesis.cli run "$BASE/api/v1/openapi.json" --url "$BASE" \
  -H "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,negative_data_rejection,unsupported_method,ignored_auth \
  --max-examples "$EXAMPLES" --seed 1 --no-color
status=$?
if grep -q 'internal error' "$WORK/serve.err"; then
  echo "the server logged internal errors:"; grep 'internal error' "$WORK/serve.err" | head; exit 1
fi
exit $status
