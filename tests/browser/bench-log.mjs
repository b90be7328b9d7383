// The page's figures for issue 18 (BENCHMARKS.md), in headless Chromium against dist/: the
// folder of 2,000 phones and the log of 1,000,000 lines that `scripts/bench-log.sh` writes,
// opened as a user does; from the log chosen to its table, the longest task on the page's
// thread meanwhile, the worker's memory (its WebAssembly memory, as it reports it) and the
// largest resident memory of Chromium's renderer, which runs the page and its worker.
// Run: bash scripts/bench-log.sh && (cd tests/browser && node bench-log.mjs [DIR [LOG]]), LOG
// a file in DIR (default access.log; access.log.gz for the gzip figure).
import { readdirSync, statSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch, open } from './harness.mjs';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../target/bench-log/', import.meta.url));
const log = join(dir, process.argv[3] ?? 'access.log');
const prov = join(dir, 'prov');
const folder = readdirSync(prov).map((n) => join(prov, n));

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

const { server, url } = await serve();
const browser = await launch();
const runs = [];
for (let run = 0; run < 3; run++) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await page.getByTestId('import-files').setInputFiles(folder);
  await page.getByTestId('phone').first().waitFor({ timeout: 120_000 });
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rendererKb())), 100);
  const start = Date.now();
  await page.locator('#import-log').setInputFiles([log]);
  await page.getByTestId('log-phone').first().waitFor({ timeout: 300_000 });
  const seconds = (Date.now() - start) / 1000;
  clearInterval(sampler);
  const longest = await page.evaluate(() => Math.max(0, ...window.__long));
  const memory = Number(await page.locator('#log-body [data-worker-memory]').getAttribute('data-worker-memory'));
  const counts = await page.locator('[data-testid=log-counts] li').allTextContents();
  // The observer sees long tasks: a task of 80 ms made on purpose is reported.
  await page.evaluate(() =>
    setTimeout(() => {
      const t = performance.now();
      while (performance.now() - t < 80);
    }, 0),
  );
  await page.waitForFunction(() => window.__long.some((d) => d >= 80));
  runs.push({ seconds, longest, memory, peak, counts });
  await context.close();
}
await browser.close();
server.close();

const mb = (bytes) => (bytes / 1e6).toFixed(0);
console.log(`log: ${log}, ${mb(statSync(log).size)} MB; folder: ${folder.length} files`);
console.log('| run | log chosen → table | longest task on the page | worker memory | renderer, largest resident |');
console.log('| --- | --- | --- | --- | --- |');
runs.forEach((r, i) =>
  console.log(`| ${i + 1} | ${r.seconds.toFixed(2)} s | ${r.longest.toFixed(0)} ms | ${mb(r.memory)} MB | ${mb(r.peak * 1024)} MB |`),
);
console.log(`counts: ${runs[0].counts.join(', ')}`);
