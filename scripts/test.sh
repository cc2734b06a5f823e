#!/usr/bin/env bash
# `npm test`: bootstrap, then static checks and every test suite. Exit 0 only if all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# promtool checks the alert rules in docs/prometheus (Debian's prometheus package ships it); Debian's
# Chromium renders the API reference and runs the browser tests (no browser download); jq and curl
# run docs/api.md's walk-through.
source scripts/lib/common.sh
missing=()
command -v promtool >/dev/null || missing+=(prometheus)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v jq >/dev/null || missing+=(jq)
if ((${#missing[@]})); then
  echo "test: installing ${missing[*]} (Debian packages)"
  apt_install "${missing[@]}" >/dev/null
fi

echo "test: API types"; node dist/api/openapi-cli.js types --check
echo "test: typecheck"; pnpm --silent typecheck
echo "test: lint"; pnpm --silent lint
echo "test: format"; pnpm --silent format:check
echo "test: unit"; pnpm --silent test:unit
echo "test: integration"; pnpm --silent test:int
echo "test: chaos"; pnpm --silent chaos
echo "test: e2e (Chromium)"; pnpm --silent test:e2e
