#!/usr/bin/env bash
# `npm test`: bootstrap, then static checks and every test suite. Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

echo "test: typecheck"; pnpm --silent typecheck
echo "test: lint"; pnpm --silent lint
echo "test: unit"; pnpm --silent test:unit
echo "test: integration"; pnpm --silent test:int
