// Measures the app in headless Chromium against the release build in dist/:
// the bundle's gzip size, load to an interactive timeline, and edit to XML and timeline updated.
// Run: (cd tests/browser && node bench.mjs) after `trunk build --release`. Prints Markdown.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { serve, launch, open, periodChanges } from './harness.mjs';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

async function bundle() {
  const rows = [];
  for (const name of (await readdir(dist)).sort()) {
    const bytes = await readFile(dist + name);
    rows.push([name.replace(/-[0-9a-f]+(?=[._])/, ''), bytes.length, gzipSync(bytes, { level: 9 }).length]);
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

/**
 * Time from an input event to the XML and the first listed fetch both showing the edit. With
 * `microtasks`, it checks after each microtask (the work itself); without, after each task (it
 * then includes the wait for the browser's next task).
 */
async function editTimes(browser, url, runs, microtasks = false) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.locator('[name="prov_polling_mode"]').selectOption('rel');
  await page.locator('[name="horizon"]').selectOption('week');
  return periodChanges(page, runs, microtasks);
}

/** The fleet view's own timing of one redraw (both loads), for 10,000 phones over a week. */
async function fleetTimes(browser, url, setup, runs) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await setup(page);
  // The fleet is counted once its panel is in view.
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const phones = String(10_000 - (i % 2));
    await page.locator('[name="phones"]').fill(phones);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="fleet-time"]')?.textContent.includes(`for ${n} phones`),
      Number(phones).toLocaleString('en'),
    );
    times.push(Number(await page.getByTestId('fleet-time').getAttribute('data-ms')));
  }
  await context.close();
  return times;
}

/**
 * A fleet that takes seconds: the wall time from the input to the figures, the computing time
 * the page reports, and the longest task that held the page meanwhile (Long Tasks API).
 */
async function heavyFleet(browser, url, phones, horizon, period) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await page.locator('[name="fleet-horizon"]').selectOption(horizon);
  await page.locator('[name="phones"]').fill(String(phones));
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  await page.waitForFunction((n) => document.querySelector('[data-testid="fleet-time"]')?.textContent.includes(`for ${n} phones`), phones.toLocaleString('en'));
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  const start = await page.evaluate(() => performance.now());
  await page.locator('[name="prov_polling_period"]').fill(String(period));
  await page.getByTestId('fleet-progress').waitFor({ state: 'visible' });
  await page.getByTestId('fleet-progress').waitFor({ state: 'hidden', timeout: 600_000 });
  const end = await page.evaluate(() => performance.now());
  const result = {
    wall: end - start,
    computing: Number(await page.getByTestId('fleet-time').getAttribute('data-ms')),
    longest: await page.evaluate(() => window.__longest),
  };
  await context.close();
  return result;
}

/**
 * A real-sized folder (make-folder.mjs: 2,000 files, about 40 MB) opened from the file input:
 * the time from the input's change to the table and the status, and the longest task that held
 * the page meanwhile (Long Tasks API), then the same for the folder's fleet.
 */
async function folderTimes(browser, url) {
  const dir = await mkdtemp(join(tmpdir(), 'provpoll-folder-'));
  execFileSync(process.execPath, [fileURLToPath(new URL('make-folder.mjs', import.meta.url)), dir, '2000']);
  const names = (await readdir(dir)).map((n) => join(dir, n));
  const bytes = (await Promise.all(names.map((n) => readFile(n)))).reduce((sum, b) => sum + b.length, 0);
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  // Long tasks are kept with their start: the browser makes the input's file list (for 2,000
  // files, most of a second) before the page's code sees the change; the page's own tasks are
  // those that end after it.
  await page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
    }).observe({ type: 'longtask' });
    document.getElementById('import-files').addEventListener('change', () => {
      window.__start = performance.now();
    });
  });
  await page.getByTestId('import-files').setInputFiles(names);
  await page.waitForFunction(() => /Read 2,000 files/.test(document.querySelector('[data-testid=folder-status]').textContent)
    && document.querySelectorAll('[data-testid=phone]').length > 0, null, { timeout: 120_000 });
  const read = await page.evaluate(() => {
    const longest = (keep) => Math.max(0, ...window.__tasks.filter(keep).map(([, d]) => d));
    return {
      ms: performance.now() - window.__start,
      before: longest(([s, d]) => s + d <= window.__start + 20),
      longest: longest(([s, d]) => s + d > window.__start + 20),
    };
  });
  await page.evaluate(() => { window.__tasks = []; window.__fleet = performance.now(); });
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  await page.getByTestId('fleet-group').first().waitFor({ timeout: 120_000 });
  const fleet = await page.evaluate(() => ({
    ms: performance.now() - window.__fleet,
    longest: Math.max(0, ...window.__tasks.map(([, d]) => d)),
  }));
  const memory = Number(await page.getByTestId('folder-status').getAttribute('data-worker-memory'));
  await context.close();
  await rm(dir, { recursive: true });
  return { files: names.length, bytes, read, fleet, memory };
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
  const work = await editTimes(browser, url, 40, true);
  console.log('| measure | median | max | runs |\n| --- | ---: | ---: | ---: |');
  console.log(`| load → interactive timeline | ${median(load).toFixed(1)} ms | ${max(load).toFixed(1)} ms | ${load.length} |`);
  console.log(`| edit → XML and timeline updated | ${median(edit).toFixed(2)} ms | ${max(edit).toFixed(2)} ms | ${edit.length} |`);
  console.log(`| the same, checked after each microtask (the work alone) | ${median(work).toFixed(2)} ms | ${max(work).toFixed(2)} ms | ${work.length} |`);

  const f = await folderTimes(browser, url);
  console.log(`\n| folder of ${f.files} files, ${(f.bytes / 1e6).toFixed(1)} MB | time | longest task |\n| --- | ---: | ---: |`);
  console.log(`| the browser making the input's file list, before the page's code runs | | ${f.read.before.toFixed(0)} ms |`);
  console.log(`| files chosen (the input's change) → table and status | ${(f.read.ms / 1000).toFixed(2)} s | ${f.read.longest.toFixed(0)} ms |`);
  console.log(`| then the folder's fleet (a week, all at once) | ${(f.fleet.ms / 1000).toFixed(2)} s | ${f.fleet.longest.toFixed(0)} ms |`);
  console.log(`| the worker's memory afterwards (its wasm memory) | ${(f.memory / 1e6).toFixed(1)} MB (${(f.memory / f.bytes).toFixed(2)} × the files) | |`);

  // BENCH=page stops here: the bundle, load, edit and folder figures only.
  if (process.env.BENCH === 'page') process.exit(0);

  const mode = (m, extra = {}) => async (page) => {
    await page.locator('[name="prov_polling_mode"]').selectOption(m);
    for (const [name, value] of Object.entries(extra)) await page.locator(`[name="${name}"]`).fill(value);
  };
  const scenarios = [
    ['random 09:00–09:10 daily, vs rel (all at once)', async (page) => {
      await page.locator('[name="alternative"]').selectOption('rel');
    }],
    ['rel 1 day, vs random (all at once)', mode('rel')],
    ['rel 1 day spread over an hour, vs random', async (page) => {
      await mode('rel')(page);
      await page.locator('[name="spread"]').selectOption('3600');
    }],
    ['abs 03:00, vs random', mode('abs', { prov_polling_time: '03:00' })],
    ['random 1 hour (chained), vs rel', async (page) => {
      await mode('random', { prov_polling_period: '3600' })(page);
      await page.locator('[name="alternative"]').selectOption('rel');
    }],
  ];
  console.log('\n| fleet view, 10,000 phones × 7 days, 1-minute buckets | median | max | runs |\n| --- | ---: | ---: | ---: |');
  for (const [name, setup] of scenarios) {
    const t = await fleetTimes(browser, url, setup, 12);
    console.log(`| ${name} | ${median(t).toFixed(1)} ms | ${max(t).toFixed(1)} ms | ${t.length} |`);
    if (process.env.VERBOSE) console.log(t.map((x) => x.toFixed(1)).join(' '));
  }

  console.log('\n| fleet in slices (random mode, compared with the same in random mode) | input to figures | computing | longest task |\n| --- | ---: | ---: | ---: |');
  for (const [phones, horizon, period] of [[10_000, 'week', 5], [10_000, 'week', 60], [100_000, 'month', 600]]) {
    const r = await heavyFleet(browser, url, phones, horizon, period);
    console.log(`| ${phones} phones × ${horizon}, period ${period} s | ${(r.wall / 1000).toFixed(2)} s | ${(r.computing / 1000).toFixed(2)} s | ${r.longest.toFixed(0)} ms |`);
  }
} finally {
  await browser.close();
  server.close();
}
