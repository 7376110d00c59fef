#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup and stop_group run from the EXIT trap
# Runs SendPlans.Bot locally, the way a teacher would meet it: Azurite (tables), the bot in
# dev mode and the Microsoft 365 Agents Playground as the Teams client. Ctrl-C stops all of it.
#
#   scripts/run.sh              # the Playground's user is Alex Wilber, the demo school's SENCo and admin
#   scripts/run.sh --as megan   # or Megan Bowen (teacher of 3A, year lead for Years 3-4), adele, isaiah,
#                               # patti or lynne: see "Trying it as each role" in README.md
#
# Ports: Azurite 10002, bot 3978, Playground 56150. Logs and Azurite's data: .run/ (git-ignored).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUN_DIR=$ROOT/.run
AZURITE_PORT=10002
BOT_URL=http://127.0.0.1:3978
PLAYGROUND_PORT=56150

PLAYGROUND_USER=alex
while (($# > 0)); do
  case $1 in
    --as) [[ $# -ge 2 ]] || { echo "--as needs a user: alex, megan, adele, isaiah, patti or lynne" >&2; exit 2; }
          PLAYGROUND_USER=$2; shift 2 ;;
    *) echo "usage: scripts/run.sh [--as alex|megan|adele|isaiah|patti|lynne]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[run]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[run]\033[0m %s\n' "$*" >&2; exit 1; }

# --- stop everything we started, whatever way the script ends ---------------------------
PIDS=()  # each child runs in a process group of its own (setsid), so its pid is the group id

stop_group() {
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do  # up to 5 s for a clean shutdown (Azurite flushes its data)
    kill -0 -- "-$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((${#PIDS[@]} > 0)); then
    say "stopping..."
    # newest first: the Playground, then the bot, then the storage it writes to
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
      stop_group "${PIDS[i]}"
    done
    wait 2>/dev/null || true
    say "stopped"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME LOG COMMAND...: runs COMMAND in a new process group, output to LOG
start() {
  local name=$1 log=$2
  shift 2
  setsid "$@" >"$log" 2>&1 </dev/null &
  PIDS+=("$!")
  say "$name started (pid $!, log ${log#"$ROOT"/})"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { kill -0 "$1" 2>/dev/null; }

# --- prerequisites ----------------------------------------------------------------------
command -v dotnet >/dev/null || die "dotnet not found: install the .NET 10 SDK (https://dot.net)."
command -v node >/dev/null || die "node not found: install Node.js 20 and npm (apt-get install -y nodejs npm)."
command -v npm >/dev/null || die "npm not found: install it (apt-get install -y npm)."

for port in "$AZURITE_PORT" "${BOT_URL##*:}" "$PLAYGROUND_PORT"; do
  port_open "$port" && die "port $port is already in use (another scripts/run.sh?). Stop that first."
done

mkdir -p "$RUN_DIR/azurite"

# npm ls fails when a tool in package.json is missing or at another version than installed
if [[ ! -x node_modules/.bin/azurite-table || ! -x node_modules/.bin/agentsplayground ]] \
  || ! npm ls --depth=0 >/dev/null 2>&1; then
  say "installing node tools (npm ci)..."
  npm ci --no-audit --no-fund
fi

say "building the bot (Release)..."
# no build servers: they would outlive this script as orphan dotnet processes
dotnet build Bot -c Release --disable-build-servers -nologo -v quiet \
  || die "the build failed (see above)."

# --- storage ----------------------------------------------------------------------------
start azurite "$RUN_DIR/azurite.log" node_modules/.bin/azurite-table \
  --tableHost 127.0.0.1 --tablePort "$AZURITE_PORT" --location "$RUN_DIR/azurite" \
  --silent --disableTelemetry --skipApiVersionCheck
AZURITE_PID=$!
for _ in $(seq 1 100); do
  port_open "$AZURITE_PORT" && break
  alive "$AZURITE_PID" || die "Azurite stopped: see .run/azurite.log"
  sleep 0.1
done
port_open "$AZURITE_PORT" || die "Azurite did not listen on $AZURITE_PORT within 10 s: see .run/azurite.log"

# --- the bot's settings: dev mode (no app id, loopback only), so the Playground needs no credentials
export Storage__ConnectionString=UseDevelopmentStorage=true
export Bot__AppId=
export Calendar__Provider=Local

# --- demo data --------------------------------------------------------------------------
# Seeds the synthetic demo school only when the store does not have it yet.
say "seeding the demo school (when absent)..."
dotnet run --project Bot -c Release --no-build -- seed-demo || die "seeding the demo school failed (see above)."

# --- the bot ----------------------------------------------------------------------------
start bot "$RUN_DIR/bot.log" dotnet run --project Bot -c Release --no-build --urls "$BOT_URL"
BOT_PID=$!
say "waiting for $BOT_URL/readyz..."
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null --max-time 2 "$BOT_URL/readyz" 2>/dev/null && break
  alive "$BOT_PID" || die "the bot stopped: see .run/bot.log"
  sleep 0.5
done
curl -fsS -o /dev/null --max-time 2 "$BOT_URL/readyz" 2>/dev/null || die "the bot was not ready within 60 s: see .run/bot.log"

# --- the Teams client -------------------------------------------------------------------
# It reads its users from .m365agentsplayground.yml in its working directory, and writes its
# own log under ./devTools unless told where.
mkdir -p "$RUN_DIR/playground"
node tools/playground/config.js "$PLAYGROUND_USER" >"$RUN_DIR/playground/.m365agentsplayground.yml" \
  || die "unknown user '$PLAYGROUND_USER'"
start playground "$RUN_DIR/playground.log" \
  env -C "$RUN_DIR/playground" M365_AGENTS_PLAYGROUND_LOGFILE="$RUN_DIR/playground-tool.log" TEAMSAPPTESTER_BROWSER=none \
  "$ROOT/node_modules/.bin/agentsplayground" -e "$BOT_URL/api/messages" -c msteams -p "$PLAYGROUND_PORT" --disable-telemetry
PLAYGROUND_PID=$!
port=""
for _ in $(seq 1 150); do
  # it picks another port when its own is taken, so read the one it chose
  port=$(sed -n 's/^Listening on \([0-9]*\).*/\1/p' "$RUN_DIR/playground.log" | head -n 1)
  [[ -n $port ]] && break
  alive "$PLAYGROUND_PID" || die "the Playground stopped: see .run/playground.log"
  sleep 0.2
done
[[ -n $port ]] || die "the Playground did not start within 30 s: see .run/playground.log"

cat <<EOF

  SendPlans.Bot is running.

    Open the Playground:  http://localhost:$port
    Bot endpoint:         $BOT_URL/api/messages
    Table storage:        Azurite on 127.0.0.1:$AZURITE_PORT (data in .run/azurite)
    Logs:                 .run/bot.log, .run/playground.log, .run/azurite.log

  You are $PLAYGROUND_USER in the demo school (scripts/run.sh --as megan to be a class teacher).
  Type "help" in the Playground's chat. Press Ctrl-C to stop everything.

EOF

# Returns when any of the three stops; the EXIT trap then stops the others.
set +e
wait -n "$AZURITE_PID" "$BOT_PID" "$PLAYGROUND_PID"
set -e
say "a service stopped unexpectedly: see the logs in .run/"
exit 1
