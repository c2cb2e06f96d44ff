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
