#!/usr/bin/env bash
# `npm test`: the same set-up as `npm start` (plus Debian's chromium for the browser
# journeys), then type-check, lint, build and every test against the real PostgreSQL
# and Redis. The tests get their own database (edu_test) and Redis db (1), reset each run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
cd "$project_root"

if [[ -n "${DATABASE_URL:-}" && -z "${TEST_DATABASE_URL:-}" ]]; then
  die "DATABASE_URL is set but TEST_DATABASE_URL is not: set TEST_DATABASE_URL to a database the tests may fill (never production)"
fi
if [[ -n "${REDIS_URL:-}" && -z "${TEST_REDIS_URL:-}" ]]; then
  die "REDIS_URL is set but TEST_REDIS_URL is not: set TEST_REDIS_URL to a Redis database the tests may flush"
fi

prepare_machine --for-tests
bash "$here/services.sh" reset-test
load_local_env
export DATABASE_URL="$TEST_DATABASE_URL" REDIS_URL="$TEST_REDIS_URL" NODE_ENV=test

log "type-check"
"$(bin tsc)" --noEmit
log "lint"
"$(bin eslint)" --max-warnings=0 .
log "build"
build_site
migrate_and_seed
log "tests"
mkdir -p test-results
set +e
"$(bin vitest)" run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
set -e
# One closing line that any CI reads: "vitest: N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8"));
  console.log(`vitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' 2>/dev/null || true
exit "$status"
