#!/usr/bin/env bash
# Install Debian's headless Chromium for the report's browser test, where it can be installed.
# Never fails the set-up: without a browser the browser test skips and says why.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium for the browser test (Debian package)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
    || echo "Could not install chromium; the browser test will be skipped."
else
  echo "chromium not found and apt-get not usable as this user; the browser test will be skipped."
fi
exit 0
