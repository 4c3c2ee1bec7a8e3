#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine of this kind, and nothing
# when it is already there: Debian packages (nats-server for scale-out tests, chromium for the
# browser tests, python3-websockets/msgpack for the Python example), npm packages for the web
# front-end, and the NuGet restore.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=(nats-server chromium python3-websockets python3-msgpack)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> Installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Web front-end packages: installed from the lock file when the front-end exists.
if [ -f src/MarketStream.Web/package.json ]; then
  echo "==> npm install (src/MarketStream.Web; see MarketStream.Server.csproj for why not npm ci)"
  (cd src/MarketStream.Web && npm install --no-audit --no-fund --no-save --loglevel=error)
fi

echo "==> dotnet restore"
dotnet restore MarketStream.sln --verbosity quiet
