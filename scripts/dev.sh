#!/usr/bin/env bash
# `npm run dev`: like `npm start`, but Vite serves the app with hot reload instead of a build.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
cd "$project_root"
prepare_machine
load_local_env
export NODE_ENV=development SECURE_COOKIES="${SECURE_COOKIES:-0}"
migrate_and_seed
start_mail_capture
"$(bin tsx)" workers/index.ts &
worker_pid=$!
trap 'kill -TERM "$worker_pid" ${mail_pid:+"$mail_pid"} 2>/dev/null || true' EXIT
"$(bin tsx)" app/server/main.ts --dev
