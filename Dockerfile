# The engine's image. Build stage: production dependencies only (better-sqlite3's native module is
# built or fetched here, with the toolchain it may need). Runtime stage: those dependencies and the
# TypeScript sources, run by tsx as `npm start` does (no build step; the web app is bundled in memory at
# start), as the unprivileged `node` user.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY app ./app
COPY engine ./engine
COPY gateway ./gateway
COPY http ./http
COPY storage ./storage
# The web app, bundled by esbuild in memory when the engine starts (web/build/bundle.ts), with the SDK it uses.
COPY client ./client
COPY web ./web
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (app/main.ts): in-flight bids are made durable and answered.
CMD ["node", "--import", "tsx", "app/main.ts"]
