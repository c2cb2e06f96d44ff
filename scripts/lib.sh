# Shared helpers for the set-up scripts (sourced, not run).
project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${EDU_DATA_DIR:-$project_root/.data}"

log()  { printf '\033[1;34m[edu]\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m[edu] warning:\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[edu] error:\033[0m %s\n' "$*" >&2; exit 1; }

pg_bindir() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] && { echo "$d"; return; }
  done
  echo /usr/lib/postgresql/15/bin
}

# Exports each KEY=VALUE of .data/local.env that the environment does not already set:
# a DATABASE_URL / REDIS_URL given by the operator always wins.
load_local_env() {
  local file="$data_dir/local.env" key value
  [[ -f "$file" ]] || return 0
  while IFS='=' read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    [[ -z "${!key:-}" ]] && export "$key=$value"
  done <"$file"
}

ensure_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 is required: install it (https://nodejs.org or apt-get install nodejs) and run the command again"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [[ "$major" == 20 ]] || warn "Node.js $major found; this project is built and tested on Node.js 20"
}

# npm ci when node_modules is missing or older than the lockfile.
ensure_node_deps() {
  ensure_node
  if [[ ! -f "$project_root/node_modules/.package-lock.json" || "$project_root/package-lock.json" -nt "$project_root/node_modules/.package-lock.json" ]]; then
    log "installing npm dependencies (npm ci)"
    (cd "$project_root" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed; see the messages above"
  fi
}

bin() { echo "$project_root/node_modules/.bin/$1"; }

# The set-up `npm start`, `npm run dev` and `npm test` share: packages, system programs,
# services. The caller loads .data/local.env afterwards (load_local_env): services.sh must
# still see only the URLs the operator gave, or it would take ours for theirs.
prepare_machine() {
  ensure_node_deps
  bash "$project_root/scripts/install-system-deps.sh" "$@"
  bash "$project_root/scripts/services.sh" start
}

# The site as students get it, whatever NODE_ENV the caller runs with: under NODE_ENV=test
# Vite would bundle React's development build (451 KB instead of 261 KB, StrictMode's
# doubled effects), and the browser tests would run a bundle nobody else gets.
build_site() {
  NODE_ENV=production "$(bin remix)" vite:build --logLevel warn >/dev/null
}

migrate_and_seed() {
  "$(bin tsx)" "$project_root/db/migrate.ts"
  "$(bin tsx)" "$project_root/db/seed/index.ts"
}

# Without an SMTP_URL of the operator's, mail goes to the local capture server
# (scripts/mail-capture.ts): it keeps every message in .data/mail, prints its links in
# this log, and admins read it at /admin/mail. Sets mail_pid (empty when a relay is given).
start_mail_capture() {
  mail_pid=""
  [[ -n "${SMTP_URL:-}" ]] && return 0
  local port="${MAIL_CAPTURE_PORT:-2525}"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  export MAIL_CAPTURE_DIR="${MAIL_CAPTURE_DIR:-$data_dir/mail}" MAIL_CAPTURE_PORT="$port"
  export SMTP_URL="smtp://127.0.0.1:$port"
  "$(bin tsx)" "$project_root/scripts/mail-capture.ts" &
  mail_pid=$!
}
