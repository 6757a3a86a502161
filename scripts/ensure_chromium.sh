#!/usr/bin/env bash
# Make sure a Chromium that Playwright can drive (via executable_path) is on this machine.
# `playwright install` cannot download a browser here, so we use Debian's `chromium` package.
# With CI=true a missing browser is a hard failure; elsewhere the browser tests report it themselves.
set -u
find_chromium() {
  for c in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return 0; }
  done
  return 1
}
if path=$(find_chromium); then
  echo "chromium: $path"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "chromium missing: installing Debian's chromium package (apt-get)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
if path=$(find_chromium); then
  echo "chromium: $path"
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "ERROR: no Chromium found and it could not be installed; browser tests cannot run in CI." >&2
  exit 1
fi
echo "WARNING: no Chromium found (install Debian's 'chromium' or set CHROMIUM_PATH); browser tests will fail." >&2
exit 0
