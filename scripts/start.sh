#!/usr/bin/env bash
# `npm start`: bootstrap, then API and worker in the foreground until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
source scripts/lib/common.sh
load_config

node dist/api/server.js &
api=$!
node dist/worker/main.js &
worker=$!
trap 'kill -TERM $api $worker 2>/dev/null; wait $api $worker 2>/dev/null; exit 0' INT TERM

cat <<URLS

  Coffer is running (Ctrl-C stops API and worker; \`npm run stack down\` stops the services)
  Web client       ${APP_URL}
  API              ${API_URL}   (reference: ${API_URL}/docs)
  Health, metrics  http://127.0.0.1:${PORT}/health  http://127.0.0.1:${PORT}/metrics
  Worker metrics   http://127.0.0.1:${WORKER_METRICS_PORT}/metrics
  Temporal Web UI  http://127.0.0.1:${TEMPORAL_UI_PORT}
  Mailpit          http://127.0.0.1:${MAILPIT_HTTP_PORT}
  MinIO console    http://127.0.0.1:${MINIO_CONSOLE_PORT}

URLS
# Stop both when either one dies.
wait -n $api $worker
status=$?
kill -TERM $api $worker 2>/dev/null || true
wait 2>/dev/null || true
exit $status
