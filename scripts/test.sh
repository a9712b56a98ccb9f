#!/usr/bin/env bash
# `npm test`: unit + database integration tests (PGlite always, PostgreSQL when TEST_DATABASE_URL
# is set), then the production build, the browser suite in Debian's Chromium, and the fuzz suite
# (property-based, over HTTP against the build, on PGlite and on PostgreSQL when it is set).
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "Installing Debian's chromium for the browser tests (one time)..."
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		echo "The browser tests need Chromium at $chromium_path (Debian: sudo apt-get install chromium," >&2
		echo "or set CHROMIUM_PATH)." >&2
		exit 1
	fi
fi

if [ -z "${TEST_DATABASE_URL:-}" ]; then
	echo "TEST_DATABASE_URL is not set: the database suite runs on PGlite only."
	echo "  (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm test)"
fi

npx vitest run
node scripts/start.js --build-only
# The fuzz suite runs even when a browser test failed, so one run reports both.
status=0
npx playwright test || status=$?
npx playwright test --config tests/fuzz/playwright.config.ts || status=$?
exit "$status"
