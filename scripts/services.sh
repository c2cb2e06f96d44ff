#!/usr/bin/env bash
# Project-local PostgreSQL and Redis, data under .data/ (git-ignored), on their own ports.
#   services.sh start        start (or restart) what is not running; create roles/databases once
#   services.sh stop         stop both (data is kept)
#   services.sh status       print what is running
#   services.sh reset-test   drop and recreate the test database and flush the test Redis db
#   services.sh reset-bench  the same for the benchmarks' database and Redis db
# A service whose URL is given (DATABASE_URL / REDIS_URL) is left alone: it is not ours.
# Writes .data/local.env with the URLs and generated secrets (mode 600).
# Two database roles (docs/ledger.md): `edu_owner` owns the databases and runs the
# migrations; `edu`, the application's, reads and writes rows but may not update, delete
# or truncate the ledger. Clusters made when `edu` owned everything are converted here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

ports_file="$data_dir/ports"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
first_free_port() {
  local p="$1"
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}
# Ports: EDU_PG_PORT / EDU_REDIS_PORT when given; else the ones this data folder first
# got (kept in .data/ports); else the first free port from 54329 / 63799, so a second
# clone or another program on the default port is never collided with.
choose_ports() {
  local saved_pg="" saved_redis=""
  if [[ -f "$ports_file" ]]; then
    saved_pg="$(sed -n 's/^PG_PORT=//p' "$ports_file")"
    saved_redis="$(sed -n 's/^REDIS_PORT=//p' "$ports_file")"
  fi
  # Folders made before .data/ports existed keep the port written in their config.
  [[ -z "$saved_pg" && -f "$pg_data/postgresql.conf" ]] && saved_pg="$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$pg_data/postgresql.conf" | tail -n 1)"
  [[ -z "$saved_redis" && -f "$redis_dir/redis.conf" ]] && saved_redis="$(sed -n 's/^port //p' "$redis_dir/redis.conf")"
  pg_port="${EDU_PG_PORT:-${saved_pg:-$(first_free_port 54329)}}"
  redis_port="${EDU_REDIS_PORT:-${saved_redis:-$(first_free_port 63799)}}"
  if [[ "$redis_port" == "$pg_port" ]]; then redis_port="$(first_free_port $((pg_port + 1)))"; fi
}
pg_data="$data_dir/postgres"
pg_run="$data_dir/pg-run"
pg_log="$data_dir/postgres.log"
redis_dir="$data_dir/redis"
env_file="$data_dir/local.env"
bindir="$(pg_bindir)"

# PostgreSQL refuses to run as root: as root we run the cluster as the `postgres` OS user.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user to run PostgreSQL; install postgresql (apt-get install postgresql-15) or set DATABASE_URL"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
pg_superuser() { if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi; }
psql_admin() { psql_admin_in postgres "$@"; }
psql_admin_in() {
  local db=$1
  shift
  as_pg "$bindir/psql" -h "$pg_run" -p "$pg_port" -U "$(pg_superuser)" -d "$db" -v ON_ERROR_STOP=1 -qAt "$@"
}

random_secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ensure_env_file() {
  mkdir -p "$data_dir"
  chmod 755 "$data_dir"
  printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$pg_port" "$redis_port" >"$ports_file"
  if [[ ! -f "$env_file" ]]; then
    umask 077
    {
      echo "EDU_DB_PASSWORD=$(random_secret)"
      echo "SESSION_SECRET=$(random_secret)"
    } >"$env_file"
  fi
  # Secrets added after a folder was first set up are appended, the others kept.
  local key
  for key in EDU_DB_OWNER_PASSWORD LEDGER_SIGNING_KEY; do
    grep -q "^$key=" "$env_file" || (umask 077 && echo "$key=$(random_secret)" >>"$env_file")
  done
  # shellcheck disable=SC1090
  source "$env_file"
}

write_urls() {
  local tmp="$env_file.tmp"
  umask 077
  grep -vE '^(DATABASE_URL|TEST_DATABASE_URL|BENCH_DATABASE_URL|DATABASE_OWNER_USER|DATABASE_OWNER_PASSWORD|REDIS_URL|TEST_REDIS_URL|BENCH_REDIS_URL)=' "$env_file" >"$tmp" || true
  if [[ -z "${DATABASE_URL_GIVEN:-}" ]]; then
    # db/migrate.ts connects as this role to whichever database DATABASE_URL names.
    echo "DATABASE_OWNER_USER=edu_owner" >>"$tmp"
    echo "DATABASE_OWNER_PASSWORD=$EDU_DB_OWNER_PASSWORD" >>"$tmp"
    echo "DATABASE_URL=postgres://edu:$EDU_DB_PASSWORD@127.0.0.1:$pg_port/edu" >>"$tmp"
    echo "TEST_DATABASE_URL=postgres://edu:$EDU_DB_PASSWORD@127.0.0.1:$pg_port/edu_test" >>"$tmp"
    echo "BENCH_DATABASE_URL=postgres://edu:$EDU_DB_PASSWORD@127.0.0.1:$pg_port/edu_bench" >>"$tmp"
  fi
  if [[ -z "${REDIS_URL_GIVEN:-}" ]]; then
    echo "REDIS_URL=redis://127.0.0.1:$redis_port/0" >>"$tmp"
    echo "TEST_REDIS_URL=redis://127.0.0.1:$redis_port/1" >>"$tmp"
    echo "BENCH_REDIS_URL=redis://127.0.0.1:$redis_port/2" >>"$tmp"
  fi
  mv "$tmp" "$env_file"
}

pg_running() { as_pg "$bindir/pg_ctl" -D "$pg_data" status >/dev/null 2>&1; }

start_postgres() {
  [[ -x "$bindir/initdb" ]] || die "PostgreSQL server programs not found in $bindir; run scripts/install-system-deps.sh or set DATABASE_URL"
  mkdir -p "$pg_data" "$pg_run"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pg_data" "$pg_run"
  chmod 700 "$pg_data"
  as_pg test -x "$data_dir" || die "the postgres OS user cannot enter $data_dir; put the project where other users can read it, or set EDU_DATA_DIR to such a folder"
  if [[ ! -f "$pg_data/PG_VERSION" ]]; then
    log "creating the project's PostgreSQL cluster in $pg_data"
    as_pg "$bindir/initdb" -D "$pg_data" -U "$(pg_superuser)" --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >"$data_dir/initdb.log" 2>&1 \
      || die "initdb failed; see $data_dir/initdb.log"
    cat >>"$pg_data/postgresql.conf" <<CONF
# edu-platform: project-local cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_run'
max_connections = 200
shared_buffers = 256MB
fsync = on
CONF
  fi
  if pg_running; then
    log "PostgreSQL already running on 127.0.0.1:$pg_port"
  else
    log "starting PostgreSQL on 127.0.0.1:$pg_port"
    touch "$pg_log"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$pg_log"
    as_pg "$bindir/pg_ctl" -D "$pg_data" -l "$pg_log" -o "-p $pg_port" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start; see $pg_log (is port $pg_port taken? set EDU_PG_PORT)"
  fi
  psql_admin -c "select 1" >/dev/null || die "cannot connect to the project's PostgreSQL; see $pg_log"
  if [[ "$(psql_admin -c "select 1 from pg_roles where rolname = 'edu'")" != 1 ]]; then
    psql_admin -c "create role edu login password '$EDU_DB_PASSWORD'"
  fi
  if [[ "$(psql_admin -c "select 1 from pg_roles where rolname = 'edu_owner'")" != 1 ]]; then
    psql_admin -c "create role edu_owner login password '$EDU_DB_OWNER_PASSWORD'"
  fi
  local db
  # edu: npm start's; edu_test: npm test's (reset every run); edu_bench: the benchmarks'.
  for db in edu edu_test edu_bench; do
    if [[ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != 1 ]]; then
      psql_admin -c "create database $db owner edu_owner encoding 'UTF8' template template0"
    fi
    prepare_database "$db"
  done
}

# The application role's rights in one database: rows of every table the owner creates
# (default privileges, so tables of later migrations too), never the ledger's UPDATE,
# DELETE or TRUNCATE (its migration revokes them). A database from before the two roles,
# where `edu` owns the tables, is handed to `edu_owner` once, with the same rights.
prepare_database() {
  local db=$1
  psql_admin_in "$db" <<SQL
alter database $db owner to edu_owner;
grant connect, temporary on database $db to edu;
alter default privileges for role edu_owner in schema public grant select, insert, update, delete on tables to edu;
alter default privileges for role edu_owner in schema public grant usage, select, update on sequences to edu;
SQL
  if [[ "$(psql_admin_in "$db" -c "select exists (select 1 from pg_class where relowner = 'edu'::regrole) or exists (select 1 from pg_namespace where nspowner = 'edu'::regrole)")" == t ]]; then
    log "database $db: handing its tables to edu_owner (the application keeps row rights, not the ledger's UPDATE/DELETE)"
    psql_admin_in "$db" <<SQL
begin;
reassign owned by edu to edu_owner;
grant select, insert, update, delete on all tables in schema public to edu;
grant usage, select, update on all sequences in schema public to edu;
do \$\$ begin
  if to_regclass('public.ledger_entries') is not null then
    revoke update, delete, truncate on public.ledger_entries from edu;
  end if;
end \$\$;
commit;
SQL
  fi
}

redis_cli() { redis-cli -h 127.0.0.1 -p "$redis_port" "$@"; }
redis_running() { [[ "$(redis_cli ping 2>/dev/null)" == PONG ]]; }

start_redis() {
  command -v redis-server >/dev/null 2>&1 || die "redis-server not found; run scripts/install-system-deps.sh or set REDIS_URL"
  mkdir -p "$redis_dir"
  # BullMQ needs noeviction (evicted job keys corrupt queues); AOF so jobs survive a crash.
  cat >"$redis_dir/redis.conf" <<CONF
port $redis_port
bind 127.0.0.1
protected-mode yes
dir $redis_dir
daemonize yes
pidfile $redis_dir/redis.pid
logfile $redis_dir/redis.log
appendonly yes
appendfsync everysec
maxmemory-policy noeviction
save 900 1
CONF
  if redis_running; then
    log "Redis already running on 127.0.0.1:$redis_port"
    return
  fi
  log "starting Redis on 127.0.0.1:$redis_port"
  redis-server "$redis_dir/redis.conf" || die "Redis did not start; see $redis_dir/redis.log (is port $redis_port taken? set EDU_REDIS_PORT)"
  for _ in $(seq 1 50); do redis_running && return; sleep 0.1; done
  die "Redis did not answer on port $redis_port; see $redis_dir/redis.log"
}

# Drops and recreates one of our databases and empties its Redis db (not when given URLs).
reset_database() {
  local db=$1 redis_db=$2
  ensure_env_file
  if [[ -z "${DATABASE_URL_GIVEN:-}" ]]; then
    psql_admin -c "drop database if exists $db with (force)"
    psql_admin -c "create database $db owner edu_owner encoding 'UTF8' template template0"
    prepare_database "$db"
  fi
  if [[ -z "${REDIS_URL_GIVEN:-}" ]]; then redis_cli -n "$redis_db" flushdb >/dev/null; fi
}

cmd="${1:-start}"
choose_ports
[[ -n "${DATABASE_URL:-}" ]] && DATABASE_URL_GIVEN=1
[[ -n "${REDIS_URL:-}" ]] && REDIS_URL_GIVEN=1

case "$cmd" in
  start)
    ensure_env_file
    if [[ -z "${DATABASE_URL_GIVEN:-}" ]]; then start_postgres; else log "using the PostgreSQL given in DATABASE_URL"; fi
    if [[ -z "${REDIS_URL_GIVEN:-}" ]]; then start_redis; else log "using the Redis given in REDIS_URL"; fi
    write_urls
    ;;
  stop)
    if [[ -f "$pg_data/PG_VERSION" ]] && pg_running; then as_pg "$bindir/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null && log "PostgreSQL stopped"; fi
    if redis_running; then redis_cli shutdown >/dev/null 2>&1 || true; log "Redis stopped"; fi
    ;;
  status)
    if [[ -f "$pg_data/PG_VERSION" ]] && pg_running; then echo "postgres: running on 127.0.0.1:$pg_port"; else echo "postgres: stopped"; fi
    if redis_running; then echo "redis: running on 127.0.0.1:$redis_port"; else echo "redis: stopped"; fi
    ;;
  reset-test) reset_database edu_test 1 ;;
  reset-bench) reset_database edu_bench 2 ;;
  *) die "usage: services.sh start|stop|status|reset-test|reset-bench" ;;
esac
