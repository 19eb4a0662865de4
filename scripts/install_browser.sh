#!/usr/bin/env bash
# Install Debian's headless Chromium and the DejaVu fonts, where they can be installed: the
# reports' PDFs are printed with them, and the browser test reads the reports with them.
# Never fails the set-up: without a browser the build skips the PDFs and those tests skip,
# each saying why.
set -u
has_fonts() { command -v fc-list >/dev/null 2>&1 && fc-list : family | grep -q "DejaVu Sans"; }
if command -v chromium >/dev/null 2>&1 && has_fonts; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing chromium and fonts-dejavu-core (Debian packages) for the PDFs and the browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fontconfig >/dev/null) \
    || echo "Could not install chromium; the build skips the PDFs and the browser tests skip."
else
  echo "chromium not found and apt-get not usable as this user; the build skips the PDFs and the browser tests skip."
fi
exit 0
