#!/usr/bin/env bash
# Redraws the pictures in docs/images: every card (docs/images/cards), the Playground, the parent booking page and the parent views pages.
set -euo pipefail
cd "$(dirname "$0")/.."
SENDPLANS_CARD_IMAGES="$PWD/docs/images/cards" SENDPLANS_DOC_IMAGES="$PWD/docs/images" \
  dotnet test Tests/SendPlans.Tests --filter "FullyQualifiedName~CardRendererTests.Render_EveryCard|FullyQualifiedName~PlaygroundTests|FullyQualifiedName~PlaygroundBookingTests|FullyQualifiedName~ParentBookingPageTests|FullyQualifiedName~ParentFormBrowserTests" -nologo
