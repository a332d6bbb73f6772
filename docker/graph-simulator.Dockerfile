# syntax=docker/dockerfile:1
# graph-simulator: multi-stage build. Build context: the repository root.
#   docker build -f docker/graph-simulator.Dockerfile -t ocb/graph-simulator .
# (No Docker engine on the development machines: kept correct by reading; see README.)

FROM node:20-bookworm-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_NO_CLOUD=true NX_DAEMON=false npx nx build graph-simulator --outputStyle=static

FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# production dependencies only (better-sqlite3 compiles here, so the runtime image needs no compiler)
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production SIM_PORT=4000 SIM_HOST=0.0.0.0 SIM_CERT_DIR=/app/data/graph-simulator
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=deps --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /src/dist/apps/graph-simulator ./dist/apps/graph-simulator
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "const https=require('https');https.get({host:'localhost',port:process.env.SIM_PORT||4000,path:'/api/health',rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
CMD ["node", "dist/apps/graph-simulator/main.js"]
