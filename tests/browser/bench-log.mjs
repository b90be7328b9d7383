// The page's figures for issues 18 and 28 (BENCHMARKS.md), in headless Chromium against dist/:
// the folder of 2,000 phones and the log of 1,000,000 lines that `scripts/bench-log.sh` writes,
// opened as a user does, in two phases measured apart: the folder (its files chosen → its
// table drawn and the page quiet), then the log (chosen → its table's 200 rows drawn). For each
// phase: its time, and each task of the page's thread over 50 ms (Long Tasks API: it reports
// none shorter) with its container and what the page did in it (each markup set, with its
// element, size and time, layout included). A task that ends as the files input's `input`
// event comes is the browser's own: making 2,000 `File` objects (bench-folder.mjs, which also
// times each slice of rows). Then the worker's memory (its WebAssembly memory, as it reports
// it) and the largest resident memory of Chromium's renderer (the page and its worker).
// Run: bash scripts/bench-log.sh && (cd tests/browser && node bench-log.mjs [DIR [LOG]]), LOG
// a file in DIR (default access.log; access.log.gz for the gzip figure). With PICKER=1 the
// folder is opened as Chromium opens one, by "Open a folder…" (the File System Access API,
// the folder in the origin private file system: harness.mjs, `pickerFolder`), not through the
// files input.
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { serve, launch, open, benchData, pickerFolder } from './harness.mjs';

const { dir, folder } = benchData();
const log = join(dir, process.argv[3] ?? 'access.log');
const picker = process.env.PICKER === '1';
const named = folder.map((path) => [basename(path), readFileSync(path, 'utf8')]);

/** The largest resident memory (KB) of Chromium's renderers now. */
function rendererKb() {
  let most = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      most = Math.max(most, Number(rss?.[1] ?? 0));
    } catch {
      // The process ended meanwhile.
    }
  }
  return most;
}

/** Watches the page's thread: long tasks, and each markup set. */
function watch() {
  window.__long = [];
  window.__sets = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const a = e.attribution?.[0];
      window.__long.push({ at: e.startTime, ms: e.duration, by: a ? `${a.containerType} ${a.containerSrc || a.containerName || ''}`.trim() : '' });
    }
  }).observe({ type: 'longtask' });
  const inner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
  Object.defineProperty(Element.prototype, 'innerHTML', {
    get() { return inner.get.call(this); },
    set(v) {
      const t = performance.now();
      inner.set.call(this, v);
      void document.body.offsetHeight;
      window.__sets.push({ at: t, ms: performance.now() - t, id: this.id || this.tagName, size: v.length });
    },
  });
  const append = Element.prototype.insertAdjacentHTML;
  Element.prototype.insertAdjacentHTML = function (where, v) {
    const t = performance.now();
    append.call(this, where, v);
    void document.body.offsetHeight;
    window.__sets.push({ at: t, ms: performance.now() - t, id: `${this.id || this.tagName} +`, size: v.length });
  };
}

/** What the page's thread did since `from`: its longest task, and each task over 50 ms. */
async function phase(page, from) {
  return page.evaluate((from) => {
    const long = window.__long.filter((l) => l.at >= from);
    const what = (t) => window.__sets.filter((s) => s.at >= t.at && s.at <= t.at + t.ms).map((s) => `${s.id} ${s.size} B ${s.ms.toFixed(0)} ms`).join('; ');
    return {
      longest: Math.max(0, ...long.map((l) => l.ms)),
      tasks: long.map((t) => `${t.ms.toFixed(0)} ms [${t.by}]${what(t) ? ` (${what(t)})` : ''}`),
    };
  }, from);
}

const { server, url } = await serve();
const browser = await launch({ gc: true });
const runs = [];
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  if (picker) await pickerFolder(page, named);
  // Playwright's own scripts, evaluated in the page the first time a locator acts (51 ms in
  // a trace), are not the page's: they run before the phases.
  await page.locator('#import-log').evaluate((e) => e.id);
  await page.locator('#import-log').isHidden();
  await page.evaluate(watch);

  // The folder: from its files chosen to its table drawn and the page quiet for a second.
  const folderFrom = await page.evaluate(() => performance.now());
  if (picker) await page.getByTestId('folder').getByRole('button', { name: 'Open a folder…' }).click();
  else await page.getByTestId('import-files').setInputFiles(folder);
  await page.getByTestId('phone').first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => {
    const last = Math.max(0, ...window.__sets.map((s) => s.at + s.ms));
    return performance.now() - last > 1000;
  }, null, { timeout: 120_000, polling: 200 });
  const folderMs = Math.max(...(await page.evaluate(() => window.__sets.map((s) => s.at + s.ms)))) - folderFrom;
  const folderPhase = await phase(page, folderFrom);

  // The log: from chosen to its table's last row drawn.
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rendererKb())), 100);
  const logFrom = await page.evaluate(() => performance.now());
  await page.locator('#import-log').setInputFiles([log]);
  await page.getByTestId('log-phone').first().waitFor({ timeout: 300_000 });
  const firstRow = (await page.evaluate(() => performance.now())) - logFrom;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=log-phone]').length >= 200, null, { timeout: 60_000 });
  const allRows = (await page.evaluate(() => performance.now())) - logFrom;
  clearInterval(sampler);
  await page.waitForTimeout(500);
  const logPhase = await phase(page, logFrom);
  const memory = Number(await page.locator('#log-body [data-worker-memory]').getAttribute('data-worker-memory'));
  const counts = await page.locator('[data-testid=log-counts] li').allTextContents();
  // The observer sees long tasks: a task of 80 ms made on purpose is reported.
  await page.evaluate(() =>
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 80);
    }, 0),
  );
  await page.waitForFunction(() => window.__long.some((l) => l.ms >= 80));
  runs.push({ folderMs, folderPhase, firstRow, allRows, logPhase, memory, peak, counts });
  await context.close();
}
await browser.close();
server.close();

const mb = (bytes) => (bytes / 1e6).toFixed(0);
console.log(`log: ${log}, ${mb(statSync(log).size)} MB; folder: ${folder.length} files, ${picker ? 'by "Open a folder…"' : 'through the files input'}`);
console.log('| run | folder: chosen → table | its tasks over 50 ms | log chosen → table (its 200th row) | its tasks over 50 ms | worker memory | renderer, largest resident |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
runs.forEach((r, i) =>
  console.log(`| ${i + 1} | ${(r.folderMs / 1000).toFixed(2)} s | ${r.folderPhase.tasks.join(', ') || 'none'} | ${(r.firstRow / 1000).toFixed(2)} s (${(r.allRows / 1000).toFixed(2)} s) | ${r.logPhase.tasks.join(', ') || 'none'} | ${mb(r.memory)} MB | ${mb(r.peak * 1024)} MB |`),
);
console.log(`counts: ${runs[0].counts.join(', ')}`);
