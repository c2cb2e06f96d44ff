#!/usr/bin/env bash
# `npm start`: install what is missing, start PostgreSQL and Redis (unless DATABASE_URL /
# REDIS_URL point elsewhere), migrate, seed demo data, build, then serve the site and run
# the worker until Ctrl-C. Safe to run again: every step is idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
cd "$project_root"

prepare_machine
load_local_env

export NODE_ENV="${NODE_ENV:-production}"
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-3000}"
# A loopback demo is plain HTTP: browsers drop Secure cookies there. Behind HTTPS, set
# PUBLIC_URL=https://... (or SECURE_COOKIES=1) and cookies become Secure, HSTS is sent.
if [[ -z "${SECURE_COOKIES:-}" ]]; then
  if [[ "${PUBLIC_URL:-}" == https://* ]]; then export SECURE_COOKIES=1; else export SECURE_COOKIES=0; fi
fi
export SEED_DEMO_USERS="${SEED_DEMO_USERS:-1}"

migrate_and_seed
# The demo lecture (db/seed/demo-video.ts) is generated beside the build and then waits in
# the queue for the worker; SEED_DEMO_VIDEO=0 skips it. It never stops the start.
demo_pid=""
if [[ "$SEED_DEMO_USERS" == 1 && "${SEED_DEMO_VIDEO:-1}" != 0 ]]; then
  "$(bin tsx)" db/seed/demo-video.ts &
  demo_pid=$!
fi
log "building the site"
build_site

start_mail_capture
"$(bin tsx)" app/server/main.ts &
web_pid=$!
"$(bin tsx)" workers/index.ts &
worker_pid=$!

stop_all() { kill -TERM "$web_pid" "$worker_pid" ${demo_pid:+"$demo_pid"} ${mail_pid:+"$mail_pid"} 2>/dev/null || true; }
trap stop_all INT TERM

"$(bin tsx)" scripts/announce.ts || warn "the site did not report healthy yet; see the logs above"

set +e
wait -n "$web_pid" "$worker_pid"
status=$?
stop_all
wait "$web_pid" "$worker_pid" ${mail_pid:+"$mail_pid"} 2>/dev/null
exit "$status"
