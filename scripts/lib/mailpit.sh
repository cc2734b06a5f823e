# shellcheck shell=bash
# Mailpit: SMTP sink (no auth, no TLS required) with an HTTP API/UI; messages in .data/mailpit.

mailpit_init() {
  parse_url "$SMTP_URL"
  SMTP_PORT=${URL_PORT:-1025}
  MAILPIT_DIR=$(svc_dir mailpit) MAILPIT_LOG=$(svc_dir mailpit)/mailpit.log
}

mailpit_healthy() { curl -fsS -o /dev/null "http://127.0.0.1:$MAILPIT_HTTP_PORT/api/v1/info" && port_open 127.0.0.1 "$SMTP_PORT"; }

mailpit_install() { build_tool mailpit "$MAILPIT_VERSION" _build_mailpit; }

mailpit_start() {
  local pid
  mailpit_init
  if pid=$(running_pid mailpit); then
    wait_until mailpit "$MAILPIT_LOG" 30 mailpit_healthy
    say mailpit "running    smtp 127.0.0.1:$SMTP_PORT  http :$MAILPIT_HTTP_PORT  pid $pid"
    return
  fi
  mailpit_install
  mkdir -p "$MAILPIT_DIR"
  ensure_port_free mailpit 127.0.0.1 "$SMTP_PORT" "$MAILPIT_LOG"
  ensure_port_free mailpit 127.0.0.1 "$MAILPIT_HTTP_PORT" "$MAILPIT_LOG"
  # --smtp-auth-accept-any/--smtp-auth-allow-insecure: clients that do send credentials are accepted too.
  launch mailpit "$MAILPIT_LOG" "$MAILPIT_BIN" --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
    --database "$MAILPIT_DIR/mailpit.db" --smtp-auth-accept-any --smtp-auth-allow-insecure --disable-version-check
  wait_until mailpit "$MAILPIT_LOG" 30 mailpit_healthy
  say mailpit "started    smtp 127.0.0.1:$SMTP_PORT  http :$MAILPIT_HTTP_PORT  pid $(running_pid mailpit)  log ${MAILPIT_LOG#"$ROOT_DIR"/}"
}

mailpit_stop() { stop_ours mailpit; }

mailpit_status() {
  local pid
  mailpit_init
  if pid=$(running_pid mailpit); then say mailpit "up    smtp 127.0.0.1:$SMTP_PORT  http :$MAILPIT_HTTP_PORT  pid $pid  log ${MAILPIT_LOG#"$ROOT_DIR"/}"
  else say mailpit "down  smtp 127.0.0.1:$SMTP_PORT  http :$MAILPIT_HTTP_PORT"; return 1
  fi
}
