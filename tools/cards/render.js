// Renders cards with the official Adaptive Cards JS renderer in headless Chromium (Debian's
// /usr/bin/chromium through playwright-core) and writes one PNG per card.
// usage: node render.js <out-dir> < cards.json      stdin: [{ "name": "...", "card": { ... } }]
// stdout: { "emojiInColour": true, "cards": [{ "name": "...", "file": "...", "renderedInputs": n, "error": null }] }
// renderedInputs: the inputs whose element is in the page (an Action.ShowCard's inputs are drawn only when it opens).
// emojiInColour: a face drawn on a canvas with the page's fonts has coloured pixels, so the
// pupil voice pictures in the PNGs are drawn (a missing emoji font draws an empty box).
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const outDir = process.argv[2];
const cards = JSON.parse(fs.readFileSync(0, "utf8"));
const script = require.resolve("adaptivecards/dist/adaptivecards.min.js");
const hostConfig = JSON.parse(fs.readFileSync(path.join(__dirname, "teams-host-config.json"), "utf8"));

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 560, height: 400 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><head><style>
    body { margin: 0; padding: 16px; background: #f5f5f5; font-family: "Segoe UI", "DejaVu Sans", sans-serif; }
    .ac-pushButton { background: #fff; border: 1px solid #d1d1d1; border-radius: 4px; padding: 6px 12px; font: 600 14px "Segoe UI", "DejaVu Sans", sans-serif; color: #242424; }
    .ac-pushButton.style-positive { background: #5b5fc7; border-color: #5b5fc7; color: #fff; }
    .ac-input, .ac-textInput, .ac-multichoiceInput { padding: 6px; border: 1px solid #d1d1d1; border-radius: 4px; font: 14px "Segoe UI", "DejaVu Sans", sans-serif; }
    #card { width: 520px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.2); overflow: hidden; }
  </style></head><body><div id="card"></div></body></html>`);
  await page.addScriptTag({ path: script });
  const emojiInColour = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext("2d");
    ctx.font = '32px "Segoe UI", "DejaVu Sans", sans-serif';
    ctx.textBaseline = "top";
    ctx.fillText("\u{1F600}\uFE0F", 4, 4);
    const pixels = ctx.getImageData(0, 0, 48, 48).data;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 80) return true;
    }
    return false;
  });
  const results = [];
  for (const { name, card } of cards) {
    const outcome = await page.evaluate(({ card, hostConfig }) => {
      const target = document.getElementById("card");
      target.innerHTML = "";
      try {
        const ac = new AdaptiveCards.AdaptiveCard();
        ac.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
        ac.parse(card);
        const element = ac.render();
        if (!element) return { error: "render returned nothing", renderedInputs: 0 };
        target.appendChild(element);
        return { error: null, renderedInputs: ac.getAllInputs().filter((i) => i.renderedElement && i.renderedElement.isConnected).length };
      } catch (e) {
        return { error: String(e), renderedInputs: 0 };
      }
    }, { card, hostConfig });
    const file = path.join(outDir, `${name}.png`);
    await page.locator("#card").screenshot({ path: file });
    results.push({ name, file, ...outcome });
  }
  await browser.close();
  process.stdout.write(JSON.stringify({ emojiInColour, cards: results }));
})().catch((e) => { console.error(e); process.exit(1); });
