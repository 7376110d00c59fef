// Draws the parent views card with the official Adaptive Cards renderer and posts the
// answers back through the page's form, which carries the antiforgery token.
"use strict";
(function () {
  var form = document.getElementById("views-form");
  var card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: "system-ui, 'Segoe UI', 'DejaVu Sans', sans-serif",
    fontSizes: { small: 14, default: 16, medium: 18, large: 22, extraLarge: 26 },
    spacing: { small: 6, default: 10, medium: 16, large: 22, extraLarge: 28, padding: 12 },
    actions: { actionsOrientation: "vertical", actionAlignment: "stretch", maxActions: 5, showCard: { actionMode: "inline" } }
  });
  card.onExecuteAction = function (action) {
    if (action instanceof AdaptiveCards.ExecuteAction || action instanceof AdaptiveCards.SubmitAction) {
      var data = action.data || {};
      form.elements["answers"].value = JSON.stringify(data);
      form.submit();
    }
  };
  card.parse(JSON.parse(document.getElementById("card-json").textContent));
  var element = card.render();
  document.getElementById("card").appendChild(element);
})();
