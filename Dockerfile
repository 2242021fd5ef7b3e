# income-watch application image: one image for every role (db migrate, worker, serve, CLI).
# tsx runs the TypeScript sources at runtime, so there is no build step.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first, so they are cached until package*.json change. A plain `npm ci`:
# tsx (a runtime dependency) compiles the sources on the fly.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund \
 && npm cache clean --force

# The sources, the rule files (rules/) and the entry point (bin/); see .dockerignore.
COPY . .

# var/ holds the .eml outbox when SMTP_URL is unset; it must be writable by the app user.
RUN mkdir -p var/outbox && chown -R node:node var

ENV NODE_ENV=production \
    RULES_DIR=rules

# Run as the unprivileged `node` user (uid 1000) that the official image provides.
USER node

EXPOSE 3000
ENTRYPOINT ["node", "bin/income-watch.mjs"]
CMD ["--help"]
