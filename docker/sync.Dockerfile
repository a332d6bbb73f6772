# syntax=docker/dockerfile:1
# sync: multi-stage build. Build context: the repository root.
#   docker build -f docker/sync.Dockerfile -t ocb/sync .
# (No Docker engine on the development machines: kept correct by reading; see README.)

FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_NO_CLOUD=true NX_DAEMON=false npx nx build sync --outputStyle=static

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# production dependencies only (better-sqlite3 compiles here, so the runtime image needs no compiler)
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production SYNC_PORT=3002
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=deps --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /src/dist/apps/sync ./dist/apps/sync
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3002
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.SYNC_PORT||3002)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8 heap flags: the same as tools/stack/stack.js NODE_FLAGS (why: there)
CMD ["node", "--max-old-space-size=1536", "--max-semi-space-size=4", "dist/apps/sync/main.js"]
