# syntax=docker/dockerfile:1
# teamstate serve in a container: webhooks, Slack, health and the remote MCP endpoint (docs/remote-mcp.md).
#   docker build -t teamstate .
#   docker run -p 8787:8787 -v teamstate-data:/data -v "$PWD/teamstate.config.yaml:/config/teamstate.config.yaml:ro" teamstate

# Build: the whole workspace, then only the CLI and its production dependencies into /out.
FROM node:24-slim AS build
WORKDIR /src
RUN npm install --global --no-fund --no-audit pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm --filter "./packages/*" -r build \
 && pnpm --filter @teamstate/cli deploy --prod --legacy /out

# Run: Node 24 slim, an unprivileged user, the data on a volume.
FROM node:24-slim
ENV NODE_ENV=production \
    TEAMSTATE_DB=file:/data/teamstate.db
RUN groupadd --system teamstate \
 && useradd --system --gid teamstate --home-dir /data --no-create-home --shell /usr/sbin/nologin teamstate \
 && mkdir -p /data /config \
 && chown teamstate:teamstate /data /config
COPY --from=build --chown=root:root /out /app
USER teamstate
# The database, its -wal and -shm files and the generated MCP token (mcp-token, mode 600) live here.
VOLUME ["/data"]
# teamstate.config.yaml is found here (mount it read-only); without one, serve runs on the database alone.
WORKDIR /config
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8787/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/teamstate.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", "--log-format", "json"]
