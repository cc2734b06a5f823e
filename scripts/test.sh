#!/usr/bin/env bash
# `npm test`: bootstrap, then static checks and every test suite. Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# promtool checks the alert rules in docs/prometheus (Debian's prometheus package ships it).
if ! command -v promtool >/dev/null; then
  source scripts/lib/common.sh
  echo "test: installing promtool (Debian package prometheus)"
  apt_install prometheus >/dev/null
fi

echo "test: typecheck"; pnpm --silent typecheck
echo "test: lint"; pnpm --silent lint
echo "test: unit"; pnpm --silent test:unit
echo "test: integration"; pnpm --silent test:int
