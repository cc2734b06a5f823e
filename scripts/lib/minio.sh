# shellcheck shell=bash
# MinIO: S3 API on S3_ENDPOINT's port, console on MINIO_CONSOLE_PORT, objects in .data/minio/data.
# The bucket S3_BUCKET is created at start (plain curl with SigV4, no mc client).

minio_init() {
  parse_url "$S3_ENDPOINT"
  MINIO_PORT=${URL_PORT:-9000}
  MINIO_DIR=$(svc_dir minio) MINIO_LOG=$(svc_dir minio)/minio.log
}

minio_healthy() { curl -fsS -o /dev/null "http://127.0.0.1:$MINIO_PORT/minio/health/live"; }

# s3 METHOD PATH [CURL ARGS...]: signed request against the local MinIO; prints the HTTP status.
s3() {
  curl -sS -o /dev/null -w '%{http_code}' -X "$1" --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "${@:3}" "http://127.0.0.1:$MINIO_PORT/$2"
}

minio_ensure_bucket() {
  local code
  code=$(s3 HEAD "$S3_BUCKET" -I) || true
  case $code in
    200) return 0 ;;
    404) code=$(s3 PUT "$S3_BUCKET") || true
         [[ $code == 200 ]] || fail_service minio "$MINIO_LOG" "creating bucket $S3_BUCKET answered HTTP $code" ;;
    *) fail_service minio "$MINIO_LOG" "checking bucket $S3_BUCKET answered HTTP $code" ;;
  esac
}

minio_install() { build_tool minio "$MINIO_VERSION" _build_minio; }

minio_start() {
  local pid
  minio_init
  if pid=$(running_pid minio); then
    wait_until minio "$MINIO_LOG" 60 minio_healthy
    minio_ensure_bucket
    say minio "running    127.0.0.1:$MINIO_PORT  console :$MINIO_CONSOLE_PORT  pid $pid"
    return
  fi
  minio_install
  mkdir -p "$MINIO_DIR/data"
  ensure_port_free minio 127.0.0.1 "$MINIO_PORT" "$MINIO_LOG"
  ensure_port_free minio 127.0.0.1 "$MINIO_CONSOLE_PORT" "$MINIO_LOG"
  MINIO_ROOT_USER=$S3_ACCESS_KEY MINIO_ROOT_PASSWORD=$S3_SECRET_KEY MINIO_SITE_REGION=$S3_REGION \
    MINIO_UPDATE=off MINIO_API_CORS_ALLOW_ORIGIN="${MINIO_API_CORS_ALLOW_ORIGIN:-*}" \
    launch minio "$MINIO_LOG" "$MINIO_BIN" server "$MINIO_DIR/data" --anonymous \
    --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT"
  wait_until minio "$MINIO_LOG" 60 minio_healthy
  minio_ensure_bucket
  say minio "started    127.0.0.1:$MINIO_PORT  console :$MINIO_CONSOLE_PORT  pid $(running_pid minio)  log ${MINIO_LOG#"$ROOT_DIR"/}"
}

minio_stop() { stop_ours minio; }

minio_status() {
  local pid
  minio_init
  if pid=$(running_pid minio); then say minio "up    127.0.0.1:$MINIO_PORT  console :$MINIO_CONSOLE_PORT  pid $pid  log ${MINIO_LOG#"$ROOT_DIR"/}"
  else say minio "down  127.0.0.1:$MINIO_PORT"; return 1
  fi
}
