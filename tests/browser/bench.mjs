// Measures the app in headless Chromium against the release build in dist/:
// the bundle's gzip size, load to an interactive timeline, and edit to XML and timeline updated.
// Run: (cd tests/browser && node bench.mjs) after `trunk build --release`. Prints Markdown.
import { readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launch, open } from './harness.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

async function bundle() {
  const rows = [];
  for (const name of (await readdir(dist)).sort()) {
    const bytes = await readFile(dist + name);
    rows.push([name.replace(/-[0-9a-f]{16}/, ''), bytes.length, gzipSync(bytes, { level: 9 }).length]);
  }
  return rows;
}

async function loadTimes(browser, url, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid="fetch"]')) {
          window.__interactive = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const page = await open(context, url);
    await page.waitForFunction(() => window.__interactive !== undefined);
    times.push(await page.evaluate(() => window.__interactive));
    await context.close();
  }
  return times;
}

/** Time from an input event to the XML and the first listed fetch both showing the edit. */
async function editTimes(browser, url, runs) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.locator('[name="prov_polling_mode"]').selectOption('rel');
  await page.locator('[name="horizon"]').selectOption('week');
  return page.evaluate(async (runs) => {
    const channel = new MessageChannel();
    const yieldNow = () =>
      new Promise((resolve) => {
        channel.port1.onmessage = resolve;
        channel.port2.postMessage(null);
      });
    const input = document.querySelector('[name="prov_polling_period"]');
    const xml = document.querySelector('[data-testid="xml-output"]');
    const times = [];
    for (let i = 0; i < runs; i++) {
      const period = 3000 + i * 7;
      const first = () => document.querySelector('[data-testid="fetch"]')?.dataset.earliest;
      const before = first();
      const start = performance.now();
      input.value = String(period);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      while (!xml.textContent.includes(`>${period}<`) || first() === before) await yieldNow();
      times.push(performance.now() - start);
    }
    return times;
  }, runs);
}

const { server, url } = await serve();
const browser = await launch();
try {
  const files = await bundle();
  const total = files.reduce((sum, [, , gz]) => sum + gz, 0);
  console.log('| file | bytes | gzip -9 |\n| --- | ---: | ---: |');
  for (const [name, raw, gz] of files) console.log(`| ${name} | ${raw} | ${gz} |`);
  console.log(`| **total** | | **${total}** (${(total / 1024).toFixed(1)} KiB) |\n`);

  const load = await loadTimes(browser, url, 15);
  const edit = await editTimes(browser, url, 40);
  console.log('| measure | median | max | runs |\n| --- | ---: | ---: | ---: |');
  console.log(`| load → interactive timeline | ${median(load).toFixed(1)} ms | ${max(load).toFixed(1)} ms | ${load.length} |`);
  console.log(`| edit → XML and timeline updated | ${median(edit).toFixed(2)} ms | ${max(edit).toFixed(2)} ms | ${edit.length} |`);
} finally {
  await browser.close();
  server.close();
}
