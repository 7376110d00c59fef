#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what it needs, builds, runs every test
# project, and ends with one line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x node_modules/.bin/azurite-table ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci (Azurite, Agents Playground, adaptivecards, playwright-core)"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error || { echo "0 passed, 1 failed"; exit 1; }
fi

if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-color-emoji >/dev/null 2>&1; then
  log "apt-get install chromium fonts-noto-color-emoji (browser tests drive Debian's Chromium; the font draws the cards' emoji)"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null \
    || { echo "0 passed, 1 failed"; exit 1; }
fi

log "dotnet build"
if ! dotnet build SendPlans.Bot.sln -c Release -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

log "dotnet test"
out=$(mktemp)
dotnet test SendPlans.Bot.sln -c Release --no-build -nologo 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 57, Skipped: 0, Total: 57, ..."
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- +Failed: ' "$out" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
assemblies=$(grep -cE '(Passed|Failed)! +- +Failed: ' "$out")
rm -f "$out"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run broke without a summary (a crashed test host counts as a failure)
fi
if [ "$assemblies" -eq 0 ]; then
  failed=$((failed > 0 ? failed : 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
