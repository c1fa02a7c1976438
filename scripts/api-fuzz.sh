#!/usr/bin/env bash
# Fuzzes the JSON API of the running binary with schemathesis, from its own OpenAPI document,
# on the demo workspace, with EVERY schemathesis check (`--checks all`): no 5xx, every answer as
# the document says, a schema-invalid request refused and a schema-valid one accepted.
#   bash scripts/api-fuzz.sh          (uses target/debug/keel, building it if needed)
#   EXAMPLES=200 bash scripts/api-fuzz.sh    (more cases per operation; default 40)
#
# The fuzzer's own credential stays out of its reach. Three operations can take a caller's
# access away: DELETE /tokens/{id} (it revokes any token of the workspace, the fuzzer's own
# included: schemathesis finds its id in GET /tokens), and PUT/DELETE /members/{id} (they lower
# or remove a membership, the fuzzer's included once another owner exists). So:
#   1. the main run fuzzes every other operation with one owner token, which nothing in that
#      run can revoke or weaken;
#   2. a second run fuzzes only those three, each case with a throw-away owner token minted
#      just for it (scripts/api-fuzz-hooks.py), so revoking or demoting one costs nothing to
#      the cases after it.
# Excluding the three and fuzzing them apart keeps the main run's figures honest: before, the
# fuzzer revoked its token early and then fuzzed only 401s.
#
# What the checks expect beyond schemathesis' defaults, and why, is in scripts/api-fuzz.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES=${EXAMPLES:-40}
KEEL=$(realpath "${KEEL_BIN:-target/debug/keel}")
HOOKS=$(realpath scripts/api-fuzz-hooks.py)
CONFIG=$(realpath scripts/api-fuzz.toml)
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
cp "$CONFIG" schemathesis.toml
CREDENTIALS=(--include-operation-id delete_token --include-operation-id update_member --include-operation-id delete_member)
EXCLUDE=(--exclude-operation-id delete_token --exclude-operation-id update_member --exclude-operation-id delete_member)
common=(--url "$BASE" --checks all --max-examples "$EXAMPLES" --seed 1 --suppress-health-check filter_too_much)

status=0
echo "=== main run: every operation but the three that revoke or demote, one owner token"
python3 -m schemathesis.cli --no-color --config-file schemathesis.toml run "$BASE/api/v1/openapi.json" \
  "${common[@]}" "${EXCLUDE[@]}" -H "Authorization: Bearer $TOKEN" || status=1
echo "=== credentials run: DELETE /tokens/{id}, PUT and DELETE /members/{id}, a fresh token per case"
KEEL_FUZZ_BIN="$KEEL" KEEL_FUZZ_DB="$URL" SCHEMATHESIS_HOOKS="$HOOKS" \
  python3 -m schemathesis.cli --no-color --config-file schemathesis.toml run "$BASE/api/v1/openapi.json" \
  "${common[@]}" "${CREDENTIALS[@]}" || status=1

if grep -q 'internal error' "$WORK/serve.err"; then
  echo "the server logged internal errors:"; grep 'internal error' "$WORK/serve.err" | head; exit 1
fi
exit $status
