// Parses cards with the official Adaptive Cards renderer and reports every parse and
// validation event (unknown types, duplicate or missing input ids, bad values...).
// stdin: [{ "name": "...", "card": { ... } }, ...]   stdout: [{ "name": "...", "events": ["..."], "parsed": { ... } }, ...]
// "parsed" is the card as the library read it: a property it did not recognise is missing there.
"use strict";
const AC = require("adaptivecards/dist/adaptivecards.min.js");

const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const results = input.map(({ name, card }) => {
  const events = [];
  const context = new AC.SerializationContext();
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) {
    events.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  if (card.version !== "1.5") {
    events.push(`version ${card.version}: Teams renders 1.5 everywhere`);
  }
  return { name, events, parsed: parsed.toJSON() };
});
process.stdout.write(JSON.stringify(results));
