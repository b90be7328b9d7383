// The folder's phase of issue 28 (BENCHMARKS.md), in headless Chromium against dist/: a folder
// of 2,000 phones (`scripts/bench-log.sh` writes it) opened through the files input, as a
// browser without the File System Access API hands it over. From the files chosen to the
// folder's table and its fleet drawn: the page's longest task, every task over 30 ms, and what
// the page did in it (each markup the worker sent, with its element, size and the time its
// parsing and layout took, measured around the call).
// Run: bash scripts/bench-log.sh && (cd tests/browser && node bench-folder.mjs [DIR])
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, open } from './harness.mjs';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../target/bench-log/', import.meta.url));
const prov = join(dir, 'prov');
const folder = readdirSync(prov).map((n) => join(prov, n));

const { server, url } = await serve();
const browser = await launch();
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await page.evaluate(() => {
    window.__long = [];
    window.__sets = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
    // The files input's change event: when it comes, and how long its handlers take.
    window.__change = [];
    window.addEventListener('change', () => {
      const t = performance.now();
      window.__change.push([t, 0]);
      queueMicrotask(() => {});
      setTimeout(() => { window.__change[window.__change.length - 1][1] = performance.now() - t; }, 0);
    }, true);
    // Each markup the page puts in, timed with the layout it forces.
    const inner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
    Object.defineProperty(Element.prototype, 'innerHTML', {
      get() { return inner.get.call(this); },
      set(v) {
        const t = performance.now();
        inner.set.call(this, v);
        void document.body.offsetHeight;
        window.__sets.push([t, performance.now() - t, this.id || this.tagName, v.length]);
      },
    });
  });
  await page.getByTestId('import-files').setInputFiles(folder);
  await page.getByTestId('phone').first().waitFor({ timeout: 120_000 });
  // The fleet of the folder comes after; wait for the page to be quiet.
  await page.waitForTimeout(4000);
  const { long, sets, change } = await page.evaluate(() => ({ long: window.__long, sets: window.__sets, change: window.__change }));
  for (const [t, d] of change) console.log(`  change event at ${t.toFixed(0)}, its task and what waited ${d.toFixed(0)} ms`);
  const longest = Math.max(0, ...long.map(([, d]) => d));
  console.log(`run ${run + 1}: longest task ${longest.toFixed(0)} ms`);
  for (const [start, d] of long.filter(([, d]) => d > 30)) {
    const inside = sets.filter(([t]) => t >= start && t <= start + d);
    const what = inside.map(([, ms, id, n]) => `${id} ${n} B ${ms.toFixed(0)} ms`).join('; ');
    console.log(`  task ${d.toFixed(0)} ms at ${start.toFixed(0)}: ${what || 'no markup set'}`);
  }
  await context.close();
}
await browser.close();
server.close();
