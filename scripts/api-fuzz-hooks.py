# schemathesis hooks for the credentials run of scripts/api-fuzz.sh: every test case gets a
# throw-away owner token of the demo workspace, minted with `keel token create` just for it, so
# a case that revokes or demotes its own credential cannot spoil the cases after it. The demo
# account is made an owner again first, should an earlier case have removed or demoted it.
import os
import re
import subprocess

import schemathesis

KEEL = os.environ["KEEL_FUZZ_BIN"]
DATABASE = os.environ["KEEL_FUZZ_DB"]


def mint():
    subprocess.run(
        [KEEL, "--database-url", DATABASE, "user", "add", "--workspace", "northwind-demo",
         "--email", "demo@keel.local", "--role", "owner"],
        capture_output=True, check=False,
    )
    out = subprocess.run(
        [KEEL, "--database-url", DATABASE, "token", "create", "--workspace", "northwind-demo",
         "--email", "demo@keel.local", "--role", "owner", "--name", "fuzz throw-away"],
        capture_output=True, text=True, check=False,
    )
    found = re.search(r"keel_[0-9a-f]+", out.stdout)
    if found is None:
        raise RuntimeError(f"keel token create failed: {out.stdout}{out.stderr}")
    return found.group(0)


@schemathesis.auth(refresh_interval=None)
class ThrowAwayToken:
    def get(self, case, context):
        return mint()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
