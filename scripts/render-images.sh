#!/usr/bin/env bash
# Redraws the pictures in docs/images: every card (docs/images/cards), the Playground and the parent booking page.
set -euo pipefail
cd "$(dirname "$0")/.."
SENDPLANS_CARD_IMAGES="$PWD/docs/images/cards" SENDPLANS_DOC_IMAGES="$PWD/docs/images" \
  dotnet test Tests/SendPlans.Tests --filter "FullyQualifiedName~CardRendererTests.Render_EveryCard|FullyQualifiedName~PlaygroundTests|FullyQualifiedName~PlaygroundBookingTests|FullyQualifiedName~ParentBookingPageTests" -nologo
