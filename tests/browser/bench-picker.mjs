// The folder's phase of issue 28 through the File System Access API (BENCHMARKS.md), in
// headless Chromium against dist/: the folder that `scripts/bench-log.sh` writes, put into the
// page's origin private file system (a real `FileSystemDirectoryHandle`, as Chromium's folder
// picker gives), handed over by `showDirectoryPicker` (headless Chromium cannot answer the
// real picker: it is replaced by one that gives that folder). From "Open a folder…" clicked to
// the folder's table drawn and the page quiet for a second: every task over 50 ms (Long Tasks
// API) and the click's handlers' time.
// Run: bash scripts/bench-log.sh && (cd tests/browser && node bench-picker.mjs [DIR])
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { serve, launch, open, benchData, pickerFolder } from './harness.mjs';

const files = benchData().folder.map((path) => [basename(path), readFileSync(path, 'utf8')]);
const { server, url } = await serve();
const browser = await launch({ gc: true });
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await pickerFolder(page, files);
  await page.evaluate(() => {
    window.__long = [];
    window.__sets = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
    // When the page last set markup: the page is quiet a second after.
    for (const [proto, name] of [[Element.prototype, 'innerHTML'], [Element.prototype, 'insertAdjacentHTML']]) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (d?.set) Object.defineProperty(proto, name, { ...d, set(v) { window.__sets.push(performance.now()); d.set.call(this, v); } });
      else if (d?.value) proto[name] = function (...a) { window.__sets.push(performance.now()); return d.value.apply(this, a); };
    }
  });
  await page.waitForTimeout(1000);
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    document.querySelector('[data-action=open-folder]').click();
    window.__clicked = performance.now() - t;
    return t;
  });
  await page.waitForFunction((n) => document.querySelector('[data-testid=folder-status]')?.textContent.includes(`Read ${n.toLocaleString('en')} files`), files.length, { timeout: 120_000 });
  await page.getByTestId('phone').first().waitFor();
  await page.waitForFunction(() => performance.now() - Math.max(0, ...window.__sets) > 1000, null, { timeout: 120_000, polling: 200 });
  const r = await page.evaluate((t0) => ({
    clicked: window.__clicked,
    table: Math.max(...window.__sets) - t0,
    long: window.__long.filter(([s, d]) => s + d >= t0).map(([s, d]) => `${d.toFixed(0)} ms at +${(s - t0).toFixed(0)} ms`),
  }), t0);
  console.log(`run ${run + 1}: the click's handlers ${r.clicked.toFixed(0)} ms; chosen → table ${(r.table / 1000).toFixed(2)} s; tasks over 50 ms: ${r.long.join(', ') || 'none'}`);
  await context.close();
}
await browser.close();
server.close();
