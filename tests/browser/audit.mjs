// Loads every page of a served site in headless Chromium at a desktop and a phone width and
// reports, as JSON on stdout, everything a reader would trip over: console errors, failed or
// third-party requests, horizontal overflow, axe-core violations (WCAG 2.2 A/AA), JavaScript in
// the page, the bytes each page transfers and its number of statements; on the phone, whether
// statements fit the screen or scroll beside a sticky label column. Saves screenshots of each.
//
// node audit.mjs <base url ending in /> <screenshot dir> <page path>...
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const [base, shots, ...pages] = process.argv.slice(2);
const origin = new URL(base).origin;
const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
  // Dark mode, where axe checks the contrast of the dark palette.
  { name: "dark", width: 1280, height: 900, colorScheme: "dark" },
];
mkdirSync(shots, { recursive: true });

// On paper: no navigation, statements keep their rules, download links print their URLs.
async function checkPrint(page, pdf) {
  await page.emulateMedia({ media: "print" });
  const found = await page.evaluate(() => {
    const style = (selector, pseudo) => {
      const element = document.querySelector(selector);
      return element ? getComputedStyle(element, pseudo) : null;
    };
    return {
      nav: style(".site-nav")?.display,
      url: style("a.download[data-url]", "::after")?.content ?? "none",
      doubleRule: style("tr.grand_total td")?.borderBottomStyle,
      subtotalRule: style("tr.subtotal td")?.borderTopStyle,
    };
  });
  const problems = [];
  if (found.nav !== "none") problems.push("print: the navigation is printed");
  if (!found.url.includes("http")) problems.push(`print: download links do not print their URLs (${found.url})`);
  if (found.doubleRule !== "double") problems.push(`print: grand totals lose their double rule (${found.doubleRule})`);
  if (found.subtotalRule !== "solid") problems.push(`print: subtotals lose their rule (${found.subtotalRule})`);
  await page.pdf({ path: pdf, format: "Letter", printBackground: true });
  await page.emulateMedia({ media: "screen" });
  return problems;
}

// On a phone (390 px): a statement of up to four figure columns of up to ten characters each
// ("$ (12,345)") shows every figure without scrolling sideways; one of more columns scrolls,
// as does any that does not fit, beside a sticky label column at most 8rem (128 px) wide; statement text is no smaller than 13 px (note markers, superscripts, aside).
const LABEL_MAX = 128;
const TEXT_MIN = 13;
async function checkPhoneStatements(page) {
  return page.evaluate(({ LABEL_MAX, TEXT_MIN }) => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    for (const region of document.querySelectorAll(".table-scroll")) {
      const table = region.querySelector("table.fin");
      if (!table) continue;
      const name = region.getAttribute("aria-labelledby").replace(/-caption$/, "");
      const columns = table.querySelector("thead tr:last-child").querySelectorAll("th").length;
      const small = new Set();
      const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        const element = text.parentElement;
        if (!text.data.trim() || element.closest("sup")) continue;
        const size = parseFloat(getComputedStyle(element).fontSize);
        if (size < TEXT_MIN) small.add(`"${text.data.trim()}" ${size}px`);
      }
      if (small.size) problems.push(`${name}: text smaller than ${TEXT_MIN}px: ${[...small].slice(0, 3).join(", ")}`);
      for (const th of table.querySelectorAll("thead th")) {
        const full = th.querySelector(".full");
        const compact = th.querySelector(".compact");
        if (compact && (full.getBoundingClientRect().width > 1 || compact.getBoundingClientRect().width < 1)) {
          problems.push(`${name}: the header "${full.textContent}" is not shown compact ("${compact.textContent}")`);
        }
      }
      const figures = [...table.querySelectorAll("tbody td")].filter((td) => td.textContent.trim());
      // Figures as printed: "$ (12,345)" is ten characters.
      const printed = (td) => td.textContent.trim().length + (td.querySelector(".cur") ? 1 : 0);
      const widest = Math.max(0, ...figures.map(printed));
      if (columns <= 4 && widest <= 10) {
        if (region.scrollWidth > region.clientWidth) {
          problems.push(`${name}: ${columns} figure columns scroll sideways (${region.scrollWidth}px in ${region.clientWidth}px)`);
        }
        const outside = figures.filter((td) => {
          const box = td.getBoundingClientRect();
          return box.left < 0 || box.right > width;
        });
        if (outside.length) {
          problems.push(`${name}: ${outside.length} figure(s) outside the ${width}px screen, as ${outside[0].closest("tr").id}: ${outside[0].textContent}`);
        }
      } else if (columns > 4 || region.scrollWidth > region.clientWidth) {
        if (region.scrollWidth <= region.clientWidth) problems.push(`${name}: ${columns} figure columns do not scroll`);
        const labels = [...table.querySelectorAll("tbody th")];
        const wide = labels.filter((th) => th.getBoundingClientRect().width > LABEL_MAX + 0.5);
        if (wide.length) problems.push(`${name}: the label column is ${wide[0].getBoundingClientRect().width}px wide, over ${LABEL_MAX}px`);
        // Scrolled to its last column, the labels stay at the region's left edge.
        region.scrollLeft = region.scrollWidth;
        const left = region.getBoundingClientRect().left;
        const moved = labels.filter((th) => Math.abs(th.getBoundingClientRect().left - left) > 1);
        if (moved.length) problems.push(`${name}: the label column scrolls away (${moved[0].textContent})`);
        // And the labels are drawn above the figures that scroll under them.
        table.scrollIntoView();
        const hidden = labels.filter((th) => {
          const box = th.getBoundingClientRect();
          const y = box.top + box.height / 2;
          if (y < 0 || y > window.innerHeight) return false;
          return !th.contains(document.elementFromPoint(box.left + box.width / 2, y));
        });
        if (hidden.length) problems.push(`${name}: figures are drawn over the label column (${hidden[0].textContent})`);
        const last = figures.at(-1).getBoundingClientRect();
        if (last.right > width + 1) problems.push(`${name}: the last column cannot be scrolled into view`);
        region.scrollLeft = 0;
      }
    }
    return problems;
  }, { LABEL_MAX, TEXT_MIN });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const results = [];
try {
  for (const path of pages) {
    for (const viewport of viewports) {
      const context = await browser.newContext({
        viewport: { width: viewport.width, height: viewport.height },
        colorScheme: viewport.colorScheme || "light",
      });
      const page = await context.newPage();
      const problems = [];
      const bodies = [];
      // A missing page is answered with the 404 status; Chromium logs that as a console error.
      // Any asset that fails is still caught below, by its response.
      const missing = path.startsWith("missing");
      page.on("console", (m) => {
        const expected404 = missing && m.text().includes("status of 404");
        if (m.type() === "error" && !expected404) problems.push(`console error: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on("request", (r) => {
        if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) {
          problems.push(`third-party request: ${r.url()}`);
        }
      });
      page.on("response", (r) => {
        if (r.status() >= 400 && r.url() !== base + path) problems.push(`HTTP ${r.status()}: ${r.url()}`);
        bodies.push(r.body().then((b) => b.length, () => 0));
      });
      const response = await page.goto(base + path, { waitUntil: "load" });
      // A missing page is answered by 404.html, with the 404 status, as GitHub Pages does.
      const expected = missing ? 404 : 200;
      if (response.status() !== expected) problems.push(`status ${response.status()} for ${path}`);
      const bytes = (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
      // Structured data (JSON-LD) is data, not a program.
      const scripts = await page.locator("script:not([type='application/ld+json'])").count();
      if (scripts > 0) problems.push(`${scripts} script element(s): the site needs no JavaScript`);
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width) return null;
        // The widest elements that are not inside a scrolling region.
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-scroll"))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${e.className}`);
        return `page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport: ${wide.join(", ")}`;
      });
      if (overflow) problems.push(overflow);
      // At desktop width a statement of up to four figure columns fits without scrolling.
      if (viewport.width >= 1280) {
        const scrolling = await page.evaluate(() =>
          [...document.querySelectorAll(".table-scroll")]
            .filter((region) => {
              const table = region.querySelector("table.fin");
              const columns = table?.querySelector("thead tr:last-child")?.querySelectorAll("th").length ?? 0;
              return columns <= 4 && region.scrollWidth > region.clientWidth + 1;
            })
            .map((region) => `${region.closest(".statement")?.id}: ${region.scrollWidth}px in ${region.clientWidth}px`),
        );
        for (const s of scrolling) problems.push(`statement scrolls sideways at ${viewport.width}px: ${s}`);
      } else {
        problems.push(...(await checkPhoneStatements(page)));
      }
      const tables = await page.locator(".statement").count();
      const shot = `${shots}/${path.replace(/\//g, "_") || "home"}-${viewport.name}`;
      await page.screenshot({ path: `${shot}.png`, fullPage: true });
      await page.screenshot({ path: `${shot}-top.png` });
      if (await page.locator("#operations").count()) {
        await page.locator("#operations").screenshot({ path: `${shot}-statement.png` });
      }
      if (viewport.name === "desktop" && (await page.locator("table.fin").count())) {
        problems.push(...(await checkPrint(page, `${shot}.pdf`)));
      }
      // Evaluated through the DevTools protocol: the pages forbid scripts of their own (CSP).
      await page.evaluate(axeSource);
      const axe = await page.evaluate(async () =>
        // eslint-disable-next-line no-undef
        (await axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        })).violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`),
      );
      problems.push(...axe.map((v) => `axe ${v}`));
      results.push({ path, viewport: viewport.name, bytes, tables, problems });
      await context.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results, null, 1));
