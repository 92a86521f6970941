# syntax=docker/dockerfile:1
# Production image: compiled JavaScript on Node 20, production dependencies only, running as `node`.
# `npm start` (tsx) is for development; here the hub runs `node dist/main.js`.

# npm ci refuses package-lock.json while it lacks other platforms' optional binaries (it was written
# where only linux builds were served); npm install --no-save then installs the same locked versions.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The server to dist/, and the pages bundled once into dist/web-dist (the hub serves those files).
RUN npm run build

FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-save --no-audit --no-fund) \
  && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# src/infra/migrate.ts reads ../../migrations/ relative to itself: dist/infra/migrate.js → /app/migrations.
COPY migrations ./migrations
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM itself (src/main.ts closes everything in reverse order).
# One-shot tasks: `docker compose run --rm hub node dist/cli/seed.js` (or dist/cli/migrate.js).
# A young generation of 64 MB: a busy hub allocates fast, and the default spent a fifth of its CPU on GC.
CMD ["node", "--max-semi-space-size=64", "dist/main.js"]
