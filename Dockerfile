# income-watch application image: one image for every role (db migrate, worker, serve, CLI).
# Two stages: the build stage compiles the TypeScript sources to JavaScript (`npm run build`);
# the runtime stage holds only the compiled code, the rule files and the production
# dependencies (no tsx, no TypeScript, no test tools), on a supported Node.js LTS.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY workers ./workers
RUN npm run build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    RULES_DIR=rules
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY rules ./rules
# var/ holds the .eml outbox when SMTP_URL is unset; it must be writable by the app user.
RUN mkdir -p var/outbox && chown -R node:node var
# Run as the unprivileged `node` user (uid 1000) that the official image provides.
USER node
EXPOSE 3000
# bin/income-watch.mjs runs the compiled code in dist/ where tsx is not installed.
ENTRYPOINT ["node", "bin/income-watch.mjs"]
CMD ["--help"]
