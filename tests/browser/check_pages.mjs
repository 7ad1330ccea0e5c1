// Open each page of the built HTML in the Debian chromium, run axe-core on it, and
// measure it at phone width. Prints one JSON object:
//   {pages: {<relative path>: {violations: [...], consoleErrors: [...], phoneWidth: n,
//                              searchBoxes: n, phoneSearchBoxes: n}}}
// Usage: node check_pages.mjs <site address, served over http> <page.html> [<page.html> ...]
// CHROMIUM names the browser (default /usr/bin/chromium).
import { chromium } from "playwright-core";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// Search controls a reader can see (the theme writes some for other screen sizes, hidden).
const visibleSearchBoxes = () => [...document.querySelectorAll(".search-button__button, input[type=search]")]
  .filter((el) => { const r = el.getBoundingClientRect(); const st = getComputedStyle(el);
                    return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && el.closest("dialog") === null; })
  .length;
const axePath = require.resolve("axe-core/axe.min.js");
const [root, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const result = { axe: require("axe-core/package.json").version, pages: {} };
try {
  for (const rel of pages) {
    const url = new URL(rel, root).href;
    const entry = { consoleErrors: [] };
    // Desktop: accessibility and console errors.
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    desk.on("console", (msg) => { if (msg.type() === "error") entry.consoleErrors.push(msg.text()); });
    desk.on("pageerror", (err) => entry.consoleErrors.push(String(err)));
    desk.on("response", (r) => { if (r.status() >= 400) entry.consoleErrors.push(`${r.status()} ${r.url()}`); });
    await desk.goto(url, { waitUntil: "load" });
    await desk.waitForTimeout(300);
    // Errors of the page itself; axe-core then fetches the style sheets again (its CSSOM
    // preload) and resolves their @import against the page, which is not the page's doing.
    const pageErrors = [...entry.consoleErrors];
    await desk.addScriptTag({ path: axePath });
    const axe = await desk.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    entry.violations = axe;
    entry.searchBoxes = await desk.evaluate(visibleSearchBoxes);
    entry.consoleErrors = pageErrors;
    await desk.close();
    // Phone: the widest the page gets at 390 px.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.goto(url, { waitUntil: "load" });
    await phone.waitForTimeout(300);
    entry.phoneSearchBoxes = await phone.evaluate(visibleSearchBoxes);
    entry.phoneWidth = await phone.evaluate(() => Math.max(document.documentElement.scrollWidth,
                                                           document.body.scrollWidth));
    await phone.close();
    result.pages[rel] = entry;
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
