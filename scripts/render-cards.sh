#!/usr/bin/env bash
# Redraws every card into docs/images/cards/ (the README shows some of them).
set -euo pipefail
cd "$(dirname "$0")/.."
SENDPLANS_CARD_IMAGES="$PWD/docs/images/cards" dotnet test Tests/SendPlans.Tests --filter "FullyQualifiedName~CardRendererTests.Render_EveryCard" -nologo
