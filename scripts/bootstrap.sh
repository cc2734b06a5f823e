#!/usr/bin/env bash
# Everything `npm start` and `npm test` need on a fresh machine: pnpm, dependencies, .env, the local
# service stack, a build, migrations and the admin seed. Safe to run again: it redoes nothing done.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1]')"
export PATH="/usr/local/go/bin:$PATH"

# Corepack cannot verify pnpm's registry signatures here, so pnpm comes from npm at the pinned version.
if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
  echo "bootstrap: installing pnpm $PNPM_VERSION"
  corepack disable pnpm >/dev/null 2>&1 || true
  npm install --global --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
  hash -r
fi

echo "bootstrap: dependencies"
pnpm install --frozen-lockfile --reporter=silent

if [[ ! -f .env ]]; then
  cp .env.example .env
  echo "bootstrap: created .env from .env.example"
fi

bash scripts/stack.sh up

echo "bootstrap: build"
pnpm --silent build >/dev/null
pnpm --silent db:migrate
pnpm --silent db:seed
