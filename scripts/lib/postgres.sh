# shellcheck shell=bash
# PostgreSQL: reuse the server DATABASE_URL reaches; otherwise a throwaway cluster under
# .data/postgres (initdb/pg_ctl as the postgres user, 127.0.0.1 only, trust auth).

pg_init() {
  parse_url "$DATABASE_URL"
  PG_HOST=${URL_HOST:-127.0.0.1} PG_PORT=${URL_PORT:-5432} PG_USER=${URL_USER:-postgres}
  PG_PASS=$URL_PASS PG_DB=${URL_PATH:-coffer}
  PG_DIR=$(svc_dir postgres) PG_DATA=$(svc_dir postgres)/data PG_LOG=$(svc_dir postgres)/postgres.log
}

# pg_bin TOOL: path of a server binary (initdb, pg_ctl) of the newest installed PostgreSQL.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/$1 ]] && echo "$dir/$1"
}

# as_user USER CMD...: run CMD as USER (we are root) or as ourselves (we are not).
as_user() { if ((EUID == 0)); then runuser -u "$1" -- "${@:2}"; else "${@:2}"; fi; }

# Pid of the postmaster of our own cluster, if it runs.
pg_own_pid() {
  local pid
  [[ -f $PG_DATA/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -q postgres "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2; }

pg_psql() { PGPASSWORD=$PG_PASS psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }

# Create the database of DATABASE_URL and <name>_test when missing.
pg_ensure_databases() {
  local db
  for db in "$PG_DB" "${PG_DB}_test"; do
    [[ $(pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'") == 1 ]] && continue
    pg_psql -c "CREATE DATABASE \"$db\"" || die "postgres: cannot create database $db"
  done
}

postgres_install() {
  command -v psql >/dev/null && command -v pg_isready >/dev/null || apt_install postgresql-client
  pg_init
  pg_ready || pg_bin initdb >/dev/null || apt_install postgresql
}

postgres_start() {
  local pid
  pg_init
  if pid=$(pg_own_pid); then
    wait_until postgres "$PG_LOG" 30 pg_ready
    pg_ensure_databases
    say postgres "running    $PG_HOST:$PG_PORT  pid $pid  (throwaway cluster in .data/postgres)"
    return
  fi
  if pg_ready; then
    pg_ensure_databases
    say postgres "reused     $PG_HOST:$PG_PORT  (server already running, not managed by this script)"
    return
  fi
  pg_bin initdb >/dev/null || postgres_install
  mkdir -p "$PG_DIR/run"
  touch "$PG_LOG"
  if ((EUID == 0)); then chown -R postgres:postgres "$PG_DIR"; fi
  ensure_user_can_write postgres postgres "$PG_DIR" "$PG_LOG"
  if [[ ! -f $PG_DATA/PG_VERSION ]]; then
    as_user postgres "$(pg_bin initdb)" -D "$PG_DATA" -U "$PG_USER" --auth=trust -E UTF8 >>"$PG_LOG" 2>&1 ||
      fail_service postgres "$PG_LOG" "initdb failed"
  fi
  as_user postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR/run'" start >/dev/null 2>>"$PG_LOG" ||
    fail_service postgres "$PG_LOG" "pg_ctl start failed"
  wait_until postgres "$PG_LOG" 30 pg_ready
  pg_ensure_databases
  say postgres "started    $PG_HOST:$PG_PORT  pid $(pg_own_pid)  log ${PG_LOG#"$ROOT_DIR"/}"
}

postgres_stop() {
  pg_init
  if pg_own_pid >/dev/null; then
    as_user postgres "$(pg_bin pg_ctl)" -D "$PG_DATA" -m fast -w stop >/dev/null 2>>"$PG_LOG"
    say postgres "stopped"
  elif pg_ready; then
    say postgres "left alone (server not started by this script)"
  else
    say postgres "not running"
  fi
}

postgres_status() {
  local pid
  pg_init
  if pid=$(pg_own_pid); then say postgres "up    $PG_HOST:$PG_PORT  pid $pid  log ${PG_LOG#"$ROOT_DIR"/}"
  elif pg_ready; then say postgres "up    $PG_HOST:$PG_PORT  external (not managed)"
  else say postgres "down  $PG_HOST:$PG_PORT"; return 1
  fi
}
