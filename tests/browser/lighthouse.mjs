// Runs Lighthouse (mobile, simulated throttling: its defaults) on each page and prints, as JSON,
// the category scores (0-100) and the titles of the audits that failed in each category.
//
// node lighthouse.mjs <url>...
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  chromeFlags: [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
const results = [];
try {
  for (const url of process.argv.slice(2)) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    });
    const scores = {};
    const failed = [];
    for (const [id, category] of Object.entries(lhr.categories)) {
      scores[id] = Math.round(category.score * 100);
      for (const ref of category.auditRefs) {
        const audit = lhr.audits[ref.id];
        if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
          failed.push(`${id}: ${audit.title} (${audit.displayValue || audit.score})`);
        }
      }
    }
    results.push({ url, scores, failed });
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results, null, 1));
