# syntax=docker/dockerfile:1
# One image, two services: `docker run … twofold console` and `docker run … twofold worker` (also `migrate`, `backup`,
# `restore`, `twofold <command>`: deploy/bin/twofold-service). deploy/compose/compose.yaml runs a console, two
# workers and PostgreSQL from it. The base is overridable so a mirror or a pinned digest can be used offline.
ARG NODE_IMAGE=node:24-bookworm-slim

# Dependencies alone first, so a source change does not reinstall them. postinstall generates the Prisma client,
# which needs the schema and prisma.config.ts.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs ./scripts/
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund

# The console's production build (.next), then the dev dependencies go (TypeScript, ESLint, Vitest, Playwright,
# the Prisma CLI); tsx stays: the console's server and the CLI run under it. The worker is built to plain JavaScript
# (dist/worker, scripts/build-worker.mjs) and runs without it.
FROM deps AS build
COPY . .
RUN NODE_ENV=production node node_modules/next/dist/bin/next build \
 && node scripts/build-worker.mjs \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf .next/cache

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    TWOFOLD_DATA_DIR=/var/lib/twofold
WORKDIR /app
# Owned by root and read-only to the service user: only the data folder (auth-log spool, API certificate) and Next's
# cache are writable.
COPY --from=build /app /app
# The worker never builds its bundle at start (the service user cannot write /app): an image whose copy of dist/worker
# is not current for its sources (a builder that does not keep file times) fails here, not at `docker run`.
RUN node /app/scripts/build-worker.mjs --check \
 && mkdir -p /var/lib/twofold /app/.next/cache \
 && chown node:node /var/lib/twofold /app/.next/cache \
 && chmod 700 /var/lib/twofold \
 && ln -s /app/deploy/bin/twofold-service /usr/local/bin/twofold
# The node image's unprivileged user (uid 1000). Every default port is above 1024, so no capability is needed;
# to serve the Duo-compatible API on 443 map it (-p 443:8443) rather than give the process CAP_NET_BIND_SERVICE.
USER node
VOLUME ["/var/lib/twofold"]
# console 3000/tcp · RADIUS 1812-1813/udp · CoA 1700,3799/udp · Duo-compatible API 8443/tcp · worker health 9812/tcp
EXPOSE 3000/tcp 1812/udp 1813/udp 1700/udp 3799/udp 8443/tcp 9812/tcp
ENTRYPOINT ["/app/deploy/bin/twofold-service"]
CMD ["console"]
