#!/usr/bin/env bash
# Refreshes docs/screenshot.png (README.md, docs/frontend.md): runs the browser test that renders the
# default board against the synthetic feed in Debian's Chromium, pointed at docs/ instead of the
# temporary folder an ordinary test run uses. Needs what ./scripts/install-deps.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build tests/MarketStream.BrowserTests -c Release --nologo -clp:ErrorsOnly
MARKETSTREAM_SCREENSHOT_DIR="$PWD/docs" dotnet test --project tests/MarketStream.BrowserTests -c Release --no-build \
  -- --filter-method '*.Screenshot_DefaultBoard_SavedAsPng'
git status --short docs/screenshot.png
