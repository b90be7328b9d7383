// The drop of 2,000 files of issue 28 (BENCHMARKS.md), in headless Chromium against dist/: the
// folder that `scripts/bench-log.sh` writes, made into `File`s in the page (as the browser
// makes them for a real drop) and dropped on it; the drop's handlers' time, and every task over
// 50 ms from the drop to the folder's table (Long Tasks API).
// Run: bash scripts/bench-log.sh && (cd tests/browser && node bench-drop.mjs [DIR])
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { serve, launch, open, benchData } from './harness.mjs';

const files = benchData().folder.map((path) => [basename(path), readFileSync(path, 'utf8')]);
const { server, url } = await serve();
const browser = await launch();
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await page.evaluate((files) => {
    window.__data = new DataTransfer();
    for (const [name, text] of files) window.__data.items.add(new File([text], name, { type: 'text/xml' }));
    window.__long = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
  }, files);
  await page.waitForTimeout(1000);
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__data, bubbles: true, cancelable: true }));
    window.__dropped = performance.now() - t;
    return t;
  });
  await page.waitForFunction((n) => document.querySelector('[data-testid=folder-status]')?.textContent.includes(`Read ${n.toLocaleString('en')} files`), files.length, { timeout: 120_000 });
  await page.getByTestId('phone').first().waitFor();
  await page.waitForTimeout(2500);
  const r = await page.evaluate((t0) => ({
    dropped: window.__dropped,
    long: window.__long.filter(([s, d]) => s + d >= t0).map(([s, d]) => `${d.toFixed(0)} ms at +${(s - t0).toFixed(0)} ms`),
  }), t0);
  console.log(`run ${run + 1}: the drop's handlers ${r.dropped.toFixed(0)} ms; tasks over 50 ms from the drop to the table: ${r.long.join(', ') || 'none'}`);
  await context.close();
}
await browser.close();
server.close();
