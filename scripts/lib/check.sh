# shellcheck shell=bash
# `stack.sh check`: end-to-end smoke checks of the running stack (scanner verdicts, S3 CORS, SMTP).

CHECK_FAILED=0
check() { if "${@:2}"; then say check "ok    $1"; else say check "FAIL  $1"; CHECK_FAILED=1; fi; }
# matches TEXT GLOB: TEXT matches the shell pattern GLOB.
# shellcheck disable=SC2053
matches() { [[ $1 == $2 ]]; }

# The EICAR test string, assembled here so that no file in the repository is itself a "virus".
eicar() { printf '%s%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR' '-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'; }

# instream FILE: scan FILE with clamd's INSTREAM command over a raw TCP connection (one chunk).
instream() {
  local size reply
  size=$(stat -c %s "$1")
  reply=$(
    exec 3<>"/dev/tcp/127.0.0.1/$CLAMAV_PORT"
    {
      printf 'zINSTREAM\0'
      printf "\\x$(printf %02x $((size >> 24 & 255)))\\x$(printf %02x $((size >> 16 & 255)))"
      printf "\\x$(printf %02x $((size >> 8 & 255)))\\x$(printf %02x $((size & 255)))"
      cat "$1"
      printf '\0\0\0\0'
    } >&3
    IFS= read -r -d '' -t 30 r <&3 || true
    printf '%s' "$r"
  )
  echo "$reply"
}

clamdscan_verdict() { clamdscan --no-summary --stream --config-file="$CLAMAV_CONF" "$1" 2>&1 || true; }

check_clamav() {
  local tmp
  clamav_init
  tmp=$(mktemp -d)
  eicar >"$tmp/eicar.txt"
  echo "just a clean file" >"$tmp/clean.txt"
  check "clamd INSTREAM: EICAR found" matches "$(instream "$tmp/eicar.txt")" '*Eicar*FOUND'
  check "clamd INSTREAM: clean file OK" matches "$(instream "$tmp/clean.txt")" 'stream: OK'
  check "clamdscan --stream: EICAR found" matches "$(clamdscan_verdict "$tmp/eicar.txt")" '*Eicar*FOUND'
  check "clamdscan --stream: clamav-testfiles/clam.exe found" \
    matches "$(clamdscan_verdict /usr/share/clamav-testfiles/clam.exe)" '*FOUND'
  check "clamdscan --stream: clamav-testfiles/clam.zip found" \
    matches "$(clamdscan_verdict /usr/share/clamav-testfiles/clam.zip)" '*FOUND'
  check "clamdscan --stream: clean file OK" matches "$(clamdscan_verdict "$tmp/clean.txt")" '*: OK'
  rm -rf "$tmp"
}

cors_preflight_ok() {
  grep -qE '^HTTP/[0-9.]+ 20[04]' <<<"$pre" && grep -qi '^access-control-allow-methods:.*PUT' <<<"$pre" &&
    grep -qiE "^access-control-allow-origin: ($origin|\\*)\$" <<<"$pre"
}
cors_etag_ok() { grep -qE '^HTTP/[0-9.]+ 200' <<<"$put" && grep -qiE '^access-control-expose-headers:.*etag' <<<"$put"; }

# A browser PUTs a part to a presigned URL from another origin and reads the ETag header.
check_minio_cors() {
  local origin=http://localhost:5173 url pre put part
  minio_init
  part=$(mktemp)
  echo "a part" >"$part"
  url="http://127.0.0.1:$MINIO_PORT/$S3_BUCKET/.stack-check-cors"
  pre=$(curl -sS -D - -o /dev/null -X OPTIONS -H "Origin: $origin" -H 'Access-Control-Request-Method: PUT' \
    -H 'Access-Control-Request-Headers: content-type' "$url" 2>&1 | tr -d '\r' || true)
  # -T, not --data-binary: curl 7.88 signs --data-binary PUTs wrongly (SignatureDoesNotMatch).
  put=$(curl -sS -D - -o /dev/null -T "$part" -H "Origin: $origin" --aws-sigv4 "aws:amz:$S3_REGION:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" "$url" 2>&1 | tr -d '\r' || true)
  s3 DELETE "$S3_BUCKET/.stack-check-cors" >/dev/null 2>&1 || true
  rm -f "$part"
  check "minio CORS preflight allows PUT from $origin" cors_preflight_ok
  check "minio PUT with Origin exposes ETag" cors_etag_ok
}

check_mailpit() {
  local to=stack-check@coffer.local found
  mailpit_init
  printf 'From: check@coffer.local\r\nTo: %s\r\nSubject: stack check\r\n\r\nhello\r\n' "$to" |
    curl -sS "smtp://127.0.0.1:$SMTP_PORT" --mail-from check@coffer.local --mail-rcpt "$to" -T - ||
    true
  found=$(curl -sS "http://127.0.0.1:$MAILPIT_HTTP_PORT/api/v1/search?query=to:$to" || true)
  curl -sS -o /dev/null -X DELETE "http://127.0.0.1:$MAILPIT_HTTP_PORT/api/v1/search?query=to:$to" || true
  check "mailpit accepts SMTP without auth/TLS" matches "$found" '*"stack check"*'
}

cmd_check() {
  check_clamav
  check_minio_cors
  check_mailpit
  return $CHECK_FAILED
}
