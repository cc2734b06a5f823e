#!/usr/bin/env bash
# `pnpm bench <name>`: bootstrap, then the benchmark with the stack's environment, as `npm start` runs
# the API and the worker (GLIBC_TUNABLES acts only when a process starts, so it is exported here, and
# the bench's own clients and baselines run under it like the processes they measure).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh >/dev/null
# shellcheck source=/dev/null
source scripts/lib/common.sh
load_config
exec node dist/bench/run.js "$@"
