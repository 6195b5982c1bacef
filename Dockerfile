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

# The portal's own nginx image, pinned by digest as its hugo.dockerfile pins it (Dependabot moves the pin).
FROM nginxinc/nginx-unprivileged:stable-alpine@sha256:7377697a821c131a924a7105fafbe7414db4e9fcc77a6f08f776f33f141ec3f8
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY deploy/security-headers.conf /etc/nginx/security-headers.conf
COPY --from=build /app/public /usr/share/nginx/html
EXPOSE 8080
