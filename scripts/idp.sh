#!/usr/bin/env bash
# The demo identity providers (SimpleSAMLphp for SAML 2.0, LemonLDAP::NG for CAS 3.0), run
# project-locally under .data/idp/ for `npm start` and for trying federated sign-in by hand.
#   idp.sh start    start them in the background (if not running); print their URLs
#   idp.sh stop     stop them
#   idp.sh status   say whether they run, and their URLs
#   idp.sh run      run them in the foreground until Ctrl-C
# Their URLs are written to .data/idp/demo.env (EDU_DEMO_SAML_METADATA_URL, ...). Settings
# (ports, the site's SAML entityID / ACS URL / metadata URL, the CAS service prefix): see
# scripts/idp/serve.ts and docs/identity-providers.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"
cd "$project_root"

idp_dir="$data_dir/idp"
pid_file="$idp_dir/demo.pid"
env_file="$idp_dir/demo.env"
log_file="$idp_dir/demo.log"

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

print_urls() { [[ -s "$env_file" ]] && sed 's/^/  /' "$env_file" >&2; }

case "${1:-}" in
  start)
    if pid="$(running_pid)"; then
      log "demo identity providers already running (pid $pid)"
      print_urls
      exit 0
    fi
    mkdir -p "$idp_dir"
    : >"$env_file"
    # Their own session: Ctrl-C in the caller's terminal is for the caller; `idp.sh stop` stops them.
    setsid node --import tsx scripts/idp/serve.ts >>"$log_file" 2>&1 </dev/null &
    echo $! >"$pid_file"
    for _ in $(seq 1 120); do
      [[ -s "$env_file" ]] && break
      if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
        tail -n 30 "$log_file" >&2
        die "the demo identity providers did not start; see $log_file"
      fi
      sleep 0.5
    done
    [[ -s "$env_file" ]] || die "the demo identity providers did not come up within 60 s; see $log_file"
    log "demo identity providers running (pid $(cat "$pid_file"); log $log_file)"
    print_urls
    ;;
  stop)
    if pid="$(running_pid)"; then
      kill -TERM "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      log "demo identity providers stopped"
    fi
    rm -f "$pid_file"
    ;;
  status)
    if pid="$(running_pid)"; then
      log "demo identity providers running (pid $pid)"
      print_urls
    else
      log "demo identity providers not running"
      exit 3
    fi
    ;;
  run)
    exec node --import tsx scripts/idp/serve.ts
    ;;
  *)
    die "usage: scripts/idp.sh start|stop|status|run"
    ;;
esac
