# shellcheck shell=bash
# Redis: reuse the server REDIS_URL reaches; otherwise Debian's redis-server on 127.0.0.1 with its
# data in .data/redis.

redis_init() {
  parse_url "$REDIS_URL"
  REDIS_HOST=${URL_HOST:-127.0.0.1} REDIS_PORT=${URL_PORT:-6379} REDIS_PASS=$URL_PASS
  REDIS_DIR=$(svc_dir redis) REDIS_LOG=$(svc_dir redis)/redis.log
}

redis_ping() { [[ $(redis-cli -u "$REDIS_URL" --no-auth-warning ping 2>/dev/null) == PONG ]]; }

redis_install() {
  command -v redis-cli >/dev/null || apt_install redis-tools
  redis_ping || command -v redis-server >/dev/null || apt_install redis-server
}

redis_start() {
  local pid args
  redis_init
  if pid=$(running_pid redis); then
    wait_until redis "$REDIS_LOG" 15 redis_ping
    say redis "running    $REDIS_HOST:$REDIS_PORT  pid $pid"
    return
  fi
  command -v redis-cli >/dev/null || redis_install
  if redis_ping; then
    say redis "reused     $REDIS_HOST:$REDIS_PORT  (server already running, not managed by this script)"
    return
  fi
  command -v redis-server >/dev/null || redis_install
  mkdir -p "$REDIS_DIR"
  ensure_port_free redis 127.0.0.1 "$REDIS_PORT" "$REDIS_LOG"
  args=(--bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize no --logfile "")
  [[ -n $REDIS_PASS ]] && args+=(--requirepass "$REDIS_PASS")
  launch redis "$REDIS_LOG" "$(command -v redis-server)" "${args[@]}"
  wait_until redis "$REDIS_LOG" 15 redis_ping
  say redis "started    $REDIS_HOST:$REDIS_PORT  pid $(running_pid redis)  log ${REDIS_LOG#"$ROOT_DIR"/}"
}

redis_stop() {
  redis_init
  if running_pid redis >/dev/null; then terminate redis; say redis "stopped"
  elif redis_ping; then say redis "left alone (server not started by this script)"
  else say redis "not running"
  fi
}

redis_status() {
  local pid
  redis_init
  if pid=$(running_pid redis); then say redis "up    $REDIS_HOST:$REDIS_PORT  pid $pid  log ${REDIS_LOG#"$ROOT_DIR"/}"
  elif redis_ping; then say redis "up    $REDIS_HOST:$REDIS_PORT  external (not managed)"
  else say redis "down  $REDIS_HOST:$REDIS_PORT"; return 1
  fi
}
