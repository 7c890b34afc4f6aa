#!/usr/bin/env bash
# Runs every test of Telemetry Portal on a fresh machine. Installs what the tests need when it is
# missing (Chromium and PostgreSQL from Debian's packages, the test OpenID Connect provider's npm
# packages, the .NET local tools), builds once, starts a private PostgreSQL cluster (stopped at the
# end, even on failure), runs each test project (the portal's tests once more on PostgreSQL), and
# ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

# Chromium for the Playwright suite. PORTAL_E2E_CHROMIUM points at another browser instead.
if [ -z "${PORTAL_E2E_CHROMIUM+x}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages..."
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; }; then
    echo "error: could not install chromium (apt-get install chromium failed)"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# PostgreSQL for the tests that run on both providers and those of several instances.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL from Debian's packages..."
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null; }; then
    echo "error: could not install postgresql (apt-get install postgresql failed)"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# The end-to-end suite's OpenID Connect provider (the npm package oidc-provider), from its lock file.
if [ ! -d e2e/oidc-provider/node_modules/oidc-provider ]; then
  echo "Installing the test OpenID Connect provider (npm ci)..."
  if ! command -v npm >/dev/null || ! (cd e2e/oidc-provider && npm ci --no-audit --no-fund --loglevel=error); then
    echo "error: could not install the test OpenID Connect provider (npm ci in e2e/oidc-provider failed; Node.js 20+ and npm are needed)"
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

dotnet tool restore >/dev/null
if ! dotnet build TelemetryPortal.sln -nologo -v:q; then
  echo "error: the build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

# A private cluster in a temporary directory on a free loopback port, stopped and removed however this ends.
pgdir=$(mktemp -d /tmp/portal-test-postgres.XXXXXX)
chmod 755 "$pgdir"
trap 'scripts/test-postgres.sh stop "$pgdir/cluster"; rm -rf "$pgdir"' EXIT
if ! PORTAL_TEST_POSTGRES=$(scripts/test-postgres.sh start "$pgdir/cluster"); then
  echo "error: could not start the private PostgreSQL cluster for the tests"
  echo "0 passed, 1 failed"
  exit 1
fi
export PORTAL_TEST_POSTGRES

results=artifacts/test-results
rm -rf "$results"
runs=()
run_tests() { # name project [dotnet test arguments...]
  local name=$1 project=$2
  shift 2
  echo "== $name"
  runs+=("$name")
  dotnet test "$project" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" --blame-hang-timeout 10m "$@"
}
for project in tests/*/*.csproj e2e/*/*.csproj; do
  name=$(basename "$project" .csproj)
  if [ "$name" = TelemetryPortal.Web.Tests ]; then
    # On SQLite, everything but the tests of several instances (PostgreSQL only); then on PostgreSQL, what must
    # hold on both providers and those.
    run_tests "$name" "$project" --filter "Database!=Postgres"
    export PORTAL_TEST_PROVIDER=Postgres
    run_tests "$name.Postgres" "$project" --filter "Database=Both|Database=Postgres"
    unset PORTAL_TEST_PROVIDER
  else
    run_tests "$name" "$project"
  fi
done

passed=0 failed=0 skipped=0
for name in "${runs[@]}"; do
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "error: $name produced no results (it crashed or did not start)"
    failed=$((failed + 1))
    continue
  fi
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  # A skipped test is in the total but not executed (xunit leaves notExecuted at 0).
  skipped=$((skipped + $(count total) - $(count executed)))
done

# The failures again, together at the end, so that the tail of the output names them.
if [ "$failed" -gt 0 ] && command -v python3 >/dev/null; then
  python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for trx in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", ns):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = result.findtext(".//t:ErrorInfo/t:Message", "", ns).strip()
            trace = result.findtext(".//t:ErrorInfo/t:StackTrace", "", ns).strip().splitlines()
            print(f"FAILED {result.get('testName')}")
            for line in message.splitlines()[:12] + trace[:6]:
                print(f"    {line}")
PY
fi

if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "error: no test ran"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
