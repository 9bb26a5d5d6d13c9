#!/usr/bin/env bash
# Installs the Debian 12 packages Relais builds with. Idempotent, and quiet when all is there.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost-dev libboost-system-dev libcpprest-dev libssl-dev ca-certificates
  libsqlite3-dev sqlite3 nlohmann-json3-dev catch2
  tzdata libhowardhinnant-date-dev libphonenumber-dev libical-dev
  libspdlog-dev libfmt-dev libcli11-dev libutf8proc-dev
  clang libclang-rt-14-dev
  chromium fonts-dejavu-core nodejs
)
# npm comes with NodeSource's nodejs, and as a package of its own with Debian's.
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing ${#missing[@]} missing package(s): ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "error: run as root, or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
