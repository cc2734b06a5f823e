# shellcheck shell=bash
# Temporal: the temporal CLI's dev server (SQLite file in .data/temporal, Web UI on).

temporal_init() {
  TEMPORAL_PORT=${TEMPORAL_ADDRESS##*:}
  TEMPORAL_DIR=$(svc_dir temporal) TEMPORAL_LOG=$(svc_dir temporal)/temporal.log
}

# temporal_cli ARGS...: the temporal CLI without our TEMPORAL_* settings, which it would read as its own
# (an empty TEMPORAL_TLS_SERVER_NAME, say, turns TLS on against the plaintext dev server).
temporal_cli() {
  local v unset=()
  for v in $(compgen -e | grep '^TEMPORAL_'); do unset+=(-u "$v"); done
  env "${unset[@]}" "$TEMPORAL_BIN" "$@"
}

temporal_healthy() {
  [[ $(temporal_cli operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null) == *SERVING* ]] &&
    curl -fsS -o /dev/null "http://127.0.0.1:$TEMPORAL_UI_PORT/"
}

temporal_install() { build_tool temporal "$TEMPORAL_VERSION" _build_temporal; }

temporal_start() {
  local pid
  temporal_init
  if pid=$(running_pid temporal); then
    wait_until temporal "$TEMPORAL_LOG" 180 temporal_healthy
    say temporal "running    127.0.0.1:$TEMPORAL_PORT  ui :$TEMPORAL_UI_PORT  pid $pid"
    return
  fi
  temporal_install
  mkdir -p "$TEMPORAL_DIR"
  ensure_port_free temporal 127.0.0.1 "$TEMPORAL_PORT" "$TEMPORAL_LOG"
  ensure_port_free temporal 127.0.0.1 "$TEMPORAL_UI_PORT" "$TEMPORAL_LOG"
  # WAL with synchronous=normal: a commit is one append, not a journal and two fsyncs (docs/benchmarks.md,
  # small-files). A killed dev server loses nothing; only a power cut may lose its last transactions.
  launch temporal "$TEMPORAL_LOG" "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" \
    --ui-port "$TEMPORAL_UI_PORT" --db-filename "$TEMPORAL_DIR/temporal.db" \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal
  wait_until temporal "$TEMPORAL_LOG" 180 temporal_healthy
  say temporal "started    127.0.0.1:$TEMPORAL_PORT  ui :$TEMPORAL_UI_PORT  pid $(running_pid temporal)  log ${TEMPORAL_LOG#"$ROOT_DIR"/}"
}

temporal_stop() { stop_ours temporal; }

temporal_status() {
  local pid
  temporal_init
  if pid=$(running_pid temporal); then say temporal "up    127.0.0.1:$TEMPORAL_PORT  ui :$TEMPORAL_UI_PORT  pid $pid  log ${TEMPORAL_LOG#"$ROOT_DIR"/}"
  else say temporal "down  127.0.0.1:$TEMPORAL_PORT"; return 1
  fi
}
