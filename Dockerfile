# syntax=docker/dockerfile:1
# One image for the API and the worker; docker-compose.yml runs it with two commands:
#   node dist/api/server.js      (default)
#   node dist/worker/main.js
# Migrations and the admin seed: node dist/db/cli.js migrate | seed

ARG NODE_IMAGE=node:20-bookworm-slim
ARG PNPM_VERSION=10.34.8

# pnpm at the version package.json pins, installed with npm as scripts/bootstrap.sh does.
FROM ${NODE_IMAGE} AS pnpm
ARG PNPM_VERSION
RUN npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}"
WORKDIR /app
COPY package.json pnpm-lock.yaml ./

# Everything, dev dependencies included: tsc to dist/, then the workflow bundle dist/workflow-bundle.js.
FROM pnpm AS build
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build

# Dev dependencies pruned: a production-only install from the same lockfile. argon2, sharp and the
# Temporal core bridge ship prebuilt binaries for glibc on x64 and arm64, so no compiler is needed.
FROM pnpm AS prod-deps
RUN pnpm install --frozen-lockfile --prod

FROM ${NODE_IMAGE}
# The API listens on every interface of the container (HOST defaults to loopback elsewhere), so a
# port mapping reaches it; publish it on the host's loopback or behind a proxy (docs/DEPLOY.md).
ENV NODE_ENV=production HOST=0.0.0.0
# glibc keeps up to 64 MiB of freed memory instead of faulting it in again for every socket read
# (.env.example, GLIBC_TUNABLES; docs/benchmarks.md, "download").
ENV GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Previews (docs/files.md): the worker runs ffmpeg for video poster frames and pdftoppm for a PDF's first page.
RUN apt-get update \
  && apt-get install --yes --no-install-recommends ffmpeg poppler-utils \
  && rm -rf /var/lib/apt/lists/*
USER node
# API (PORT) and worker metrics (WORKER_METRICS_PORT; the worker binds it to 127.0.0.1).
EXPOSE 3000 9464
CMD ["node", "dist/api/server.js"]
