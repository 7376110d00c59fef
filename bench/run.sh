#!/usr/bin/env bash
# The load benchmark of POST /api/messages, one command (docs/benchmarks.md):
#   bench/run.sh                      # the documented run: 64 connections, 30 s warm-up + 15 s per
#                                     # target, 100k requests for RSS, 5 cold starts
#   bench/run.sh --duration 5 --rss-requests 10000 --cold-starts 1    # a quick look
# It builds Release, starts Azurite, the fakes, SendPlans.Bot (its own process) and the botbuilder
# peer, drives both with autocannon on 127.0.0.1, prints the table (also written to
# bench/results/latest.md and latest.json) and stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

for tool in node_modules/.bin/azurite-table node_modules/autocannon node_modules/botbuilder; do
  if [ ! -e "$tool" ]; then
    echo "[bench] $tool is missing: running npm ci" >&2
    npm ci --no-audit --no-fund
    break
  fi
done

echo "[bench] building Release" >&2
dotnet build SendPlans.Bot.sln -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/SendPlans.Bench/bin/Release/net10.0/SendPlans.Bench.dll "$@"
