#!/usr/bin/env bash
# Coffer's local stack without Docker: PostgreSQL, Redis, Temporal, MinIO, ClamAV, Mailpit, all on
# 127.0.0.1, data and logs under .data/<service>/. See docs/local-stack.md.
#
#   bash scripts/stack.sh up | down | status | install | start SERVICE | stop SERVICE | check
#   (check: smoke tests of the running stack: clamd verdicts, MinIO CORS, Mailpit SMTP)
set -euo pipefail

LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib"
# shellcheck source=/dev/null
for f in common tools postgres redis temporal minio clamav mailpit check; do source "$LIB/$f.sh"; done

SERVICES=(postgres redis temporal minio clamav mailpit)

usage() {
  echo "usage: bash scripts/stack.sh up|down|status|install|start SERVICE|stop SERVICE|check" >&2
  echo "services: ${SERVICES[*]}" >&2
  exit 2
}

valid_service() { [[ " ${SERVICES[*]} " == *" $1 "* ]] || { echo "stack: unknown service: $1" >&2; usage; }; }

cmd_install() {
  local pkgs=()
  command -v curl >/dev/null || pkgs+=(curl)
  command -v setsid >/dev/null || pkgs+=(util-linux)
  # Previews (docs/files.md): video poster frames with ffmpeg, a PDF's first page with poppler's pdftoppm.
  command -v ffmpeg >/dev/null || pkgs+=(ffmpeg)
  command -v pdftoppm >/dev/null || pkgs+=(poppler-utils)
  apt_install "${pkgs[@]}"
  postgres_install
  redis_install
  clamav_install
  install_go_tools
}

cmd_status() {
  local svc rc=0
  for svc in "${SERVICES[@]}"; do "${svc}_status" || rc=1; done
  return $rc
}

main() {
  load_config
  mkdir -p "$DATA_DIR"
  local cmd=${1:-}
  case $cmd in
    up) cmd_install; for svc in "${SERVICES[@]}"; do "${svc}_start"; done ;;
    down) for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do "${SERVICES[i]}_stop"; done ;;
    status) cmd_status ;;
    check) cmd_check ;;
    install) cmd_install; echo "stack: everything installed (tools in $TOOLS_DIR)" ;;
    start | stop) (($# == 2)) || usage; valid_service "$2"; "${2}_${cmd}" ;;
    *) usage ;;
  esac
}

main "$@"
