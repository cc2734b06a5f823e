# shellcheck shell=bash
# Shared helpers for scripts/stack.sh: configuration, logging, process control, waiting.

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA_DIR="$ROOT_DIR/.data"
TOOLS_DIR="${COFFER_TOOLS_DIR:-$HOME/.cache/coffer/tools}"

# ---------------------------------------------------------------- configuration

# load_env FILE: KEY=VALUE lines (comments and blank lines skipped, optional surrounding quotes
# removed). A variable already set in the environment wins over the file.
load_env() {
  local file=$1 line key value
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]} value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    [[ -n ${!key+x} ]] && continue
    export "$key=$value"
  done <"$file"
}

load_config() {
  if [[ -f $ROOT_DIR/.env ]]; then load_env "$ROOT_DIR/.env"
  elif [[ -f $ROOT_DIR/.env.example ]]; then load_env "$ROOT_DIR/.env.example"
  fi
  : "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/coffer}"
  : "${REDIS_URL:=redis://127.0.0.1:6379/0}"
  : "${TEMPORAL_ADDRESS:=127.0.0.1:7233}" "${TEMPORAL_UI_PORT:=8233}"
  : "${S3_ENDPOINT:=http://127.0.0.1:9000}" "${S3_REGION:=us-east-1}" "${S3_BUCKET:=coffer}"
  : "${S3_ACCESS_KEY:=coffer}" "${S3_SECRET_KEY:=coffer-secret-key}" "${MINIO_CONSOLE_PORT:=9001}"
  : "${CLAMAV_HOST:=127.0.0.1}" "${CLAMAV_PORT:=3310}" "${CLAMAV_MAX_BYTES:=2147483645}"
  : "${SMTP_URL:=smtp://127.0.0.1:1025}" "${MAILPIT_HTTP_PORT:=8025}"
  : "${PORT:=3000}" "${WORKER_METRICS_PORT:=9464}" "${APP_URL:=http://127.0.0.1:$PORT}" "${API_URL:=$APP_URL/api}"
  local v
  for v in CLAMAV_PORT TEMPORAL_UI_PORT MINIO_CONSOLE_PORT MAILPIT_HTTP_PORT; do
    [[ ${!v} =~ ^[0-9]+$ ]] && ((${!v} >= 1 && ${!v} <= 65535)) || die "$v must be a TCP port, got: ${!v}"
  done
  if ! command -v go >/dev/null && [[ -x /usr/local/go/bin/go ]]; then PATH="/usr/local/go/bin:$PATH"; fi
  export PATH
}

# parse_url URL: sets URL_USER URL_PASS URL_HOST URL_PORT URL_PATH (no percent-decoding).
parse_url() {
  local re='^[A-Za-z][A-Za-z0-9+.-]*://(([^:@/]*)(:([^@/]*))?@)?([^:/?]+)(:([0-9]+))?(/([^?]*))?'
  [[ $1 =~ $re ]] || die "cannot parse URL: $1"
  URL_USER=${BASH_REMATCH[2]} URL_PASS=${BASH_REMATCH[4]} URL_HOST=${BASH_REMATCH[5]}
  URL_PORT=${BASH_REMATCH[7]} URL_PATH=${BASH_REMATCH[9]}
}

# ---------------------------------------------------------------- output

say() { printf '%-9s %s\n' "$1" "$2"; }
die() { echo "stack: $*" >&2; exit 1; }

# fail_service SVC LOG REASON: name the service and its log, show the end of the log, exit 1.
fail_service() {
  local svc=$1 log=$2 reason=$3
  {
    echo "stack: $svc failed to start: $reason"
    echo "stack: log file: $log (last 20 lines follow)"
    if [[ -f $log ]]; then tail -n 20 "$log" | sed 's/^/  | /'; else echo "  | (no log file)"; fi
  } >&2
  exit 1
}

# ---------------------------------------------------------------- processes

svc_dir() { echo "$DATA_DIR/$1"; }
svc_pidfile() { echo "$DATA_DIR/$1/$1.pid"; }

# launch SVC LOG CMD...: start CMD in its own session (so that stopping it kills the whole process
# group), output appended to LOG (stdout to $LAUNCH_STDOUT instead when set). The pid file
# .data/SVC/SVC.pid gets "PID PROGRAM": PID is also the process group id; PROGRAM is the argv[0] the
# process ends up with ($LAUNCH_PROGRAM when CMD execs another program, else CMD's first word).
launch() {
  local svc=$1 log=$2 pidfile i
  shift 2
  pidfile=$(svc_pidfile "$svc")
  rm -f "$pidfile"
  echo "---- $(date -Is) starting: $*" >>"$log"
  setsid bash -c 'echo "$$ $1" >"$0"; shift; exec "$@"' "$pidfile" "${LAUNCH_PROGRAM:-$1}" "$@" >>"${LAUNCH_STDOUT:-$log}" 2>>"$log" </dev/null &
  for ((i = 0; i < 50; i++)); do [[ -s $pidfile ]] && return 0; sleep 0.1; done
  fail_service "$svc" "$log" "no pid file written"
}

# running_pid SVC: prints the pid of the process we started for SVC, if it is still alive and still
# runs the program we started (the pid file holds "PID PROGRAM"; guards against reused pids).
running_pid() {
  local pidfile pid cmd argv0
  pidfile=$(svc_pidfile "$1")
  [[ -s $pidfile ]] || return 1
  read -r pid cmd <"$pidfile" || true
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  argv0=$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | head -n 1) || true
  [[ $argv0 == "$cmd" || $argv0 == "$cmd "* ]] || return 1 # redis-server rewrites argv[0] to "PROG ADDR"
  echo "$pid"
}

# terminate SVC: SIGTERM the process group we started, SIGKILL after 15 s; removes the pid file.
terminate() {
  local svc=$1 pid i
  pid=$(running_pid "$svc") || { rm -f "$(svc_pidfile "$svc")"; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; sleep 0.2; fi
  rm -f "$(svc_pidfile "$svc")"
}

# ensure_user_can_write SVC USER DIR LOG: as root, USER must reach DIR (every parent directory
# needs o+x; a checkout under /root does not work for services run as postgres or clamav).
ensure_user_can_write() {
  ((EUID == 0)) || return 0
  runuser -u "$2" -- test -w "$3" ||
    fail_service "$1" "$4" "user $2 cannot write $3 (check the permissions of its parent directories)"
}

# port_open HOST PORT: true if something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_until SVC LOG TIMEOUT CMD...: retry CMD every 0.25 s until it succeeds; fail the service when
# TIMEOUT seconds pass or when the process we started for it has exited.
wait_until() {
  local svc=$1 log=$2 timeout=$3 deadline
  shift 3
  deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [[ -s $(svc_pidfile "$svc") ]] && ! running_pid "$svc" >/dev/null; then
      fail_service "$svc" "$log" "process exited"
    fi
    ((SECONDS < deadline)) || fail_service "$svc" "$log" "not healthy after ${timeout}s"
    sleep 0.25
  done
}

# ensure_port_free SVC HOST PORT LOG: refuse to start when a foreign process holds the port.
ensure_port_free() {
  port_open "$2" "$3" || return 0
  fail_service "$1" "$4" "port $2:$3 is already in use by a process this script did not start"
}

# ---------------------------------------------------------------- packages

as_root() { if ((EUID == 0)); then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi; }

# apt_get ARGS...: apt-get as root that waits up to 10 minutes for another apt-get or dpkg (an
# unattended upgrade on a fresh machine) instead of failing at once. DPkg::Lock::Timeout covers
# dpkg's locks only; a run that failed on the package lists' or the archives' lock is retried
# (LC_ALL=C: the retry recognises apt's English message).
apt_get() {
  local wait=600 err said=""
  local deadline=$((SECONDS + wait))
  err=$(mktemp)
  until as_root env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -o DPkg::Lock::Timeout=$wait "$@" 2>"$err"; do
    if ! grep -q '^E: Could not get lock' "$err" || ((SECONDS >= deadline)); then
      cat "$err" >&2
      rm -f "$err"
      return 1
    fi
    [[ -n $said ]] || echo "stack: waiting for another apt-get or dpkg: $(grep -m 1 '^E: Could not get lock' "$err")" >&2
    said=1
    sleep 2
  done
  cat "$err" >&2
  rm -f "$err"
}

# apt_install PKG...: install Debian packages; refresh the package lists first only if they are
# empty (they may be stored compressed: *_Packages.lz4), or after a failed attempt.
apt_install() {
  (($#)) || return 0
  echo "stack: installing Debian packages: $*" >&2
  local apt=(install -y -q --no-install-recommends "$@")
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then apt_get update -q >&2; fi
  apt_get "${apt[@]}" >&2 || { apt_get update -q >&2 && apt_get "${apt[@]}" >&2; }
}

# stop_ours SVC: stop a service this script started (launch), or say it was not running.
stop_ours() {
  if running_pid "$1" >/dev/null; then terminate "$1"; say "$1" "stopped"; else terminate "$1"; say "$1" "not running"; fi
}
