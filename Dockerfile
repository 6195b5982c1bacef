# The privacy page as the portal deploys it on Kubernetes: built with Node,
# served by nginx as an unprivileged user on port 8080.
FROM node:26-bookworm-slim AS build
WORKDIR /app
# git reads the policy's earlier versions (its history page and feed) from .git, which the context includes.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# The build needs package.json's dependencies only, not the test tools, and no install script (see allowScripts).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

FROM nginxinc/nginx-unprivileged:1.28-alpine
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY deploy/security-headers.conf /etc/nginx/security-headers.conf
COPY --from=build /app/public /usr/share/nginx/html
EXPOSE 8080
