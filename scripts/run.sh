#!/usr/bin/env bash
# Runs SendPlans locally: Azurite (tables kept in .azurite/), the demo school seeded when the
# store does not have it yet, the bot on http://127.0.0.1:3978/api/messages, and with
# --playground the Microsoft 365 Agents Playground on http://localhost:56150 (its default
# user, Alex Wilber, is the demo school's SENCo).
set -euo pipefail
cd "$(dirname "$0")/.."

playground=false
for arg in "$@"; do
  case "$arg" in
    --playground) playground=true ;;
    *) echo "usage: scripts/run.sh [--playground]" >&2; exit 2 ;;
  esac
done

[ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund
mkdir -p .azurite .run

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if ! (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; then
  node_modules/.bin/azurite-table --tableHost 127.0.0.1 --tablePort 10002 --location .azurite \
    --silent --disableTelemetry --skipApiVersionCheck &
  pids+=($!)
  for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null && break; sleep 0.1; done
fi

dotnet build Bot --nologo -v q
dotnet run --project Bot --no-build -- seed-demo

if $playground; then
  TEAMSAPPTESTER_BROWSER=none node_modules/.bin/agentsplayground \
    -e http://127.0.0.1:3978/api/messages -c msteams -p 56150 --disable-telemetry &
  pids+=($!)
  echo "Agents Playground: http://localhost:56150"
fi

dotnet run --project Bot --no-build --urls http://127.0.0.1:3978
