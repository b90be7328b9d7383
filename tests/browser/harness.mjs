// Serves the release build (dist/) on loopback and opens it in Debian's headless Chromium,
// recording console errors, page errors and every request that leaves the page's origin.
import { createServer } from 'node:http';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const root = process.env.DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
};

/** The benchmarks' data (`scripts/bench-log.sh` writes it): the directory (the first
 * argument, else target/bench-log) and the paths of its folder of phones, `prov/`. */
export function benchData() {
  const dir = process.argv[2] ?? fileURLToPath(new URL('../../target/bench-log/', import.meta.url));
  const prov = join(dir, 'prov');
  return { dir, folder: readdirSync(prov).map((n) => join(prov, n)) };
}

/** Puts `files` ([name, text] pairs) into the page's origin private file system, as a folder
 * `prov`, and makes `showDirectoryPicker` give it: a real `FileSystemDirectoryHandle`, as
 * Chromium's folder picker gives (headless Chromium cannot answer the real picker). */
export async function pickerFolder(page, files) {
  await page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('prov', { recursive: true }).catch(() => {});
    const folder = await root.getDirectoryHandle('prov', { create: true });
    for (const [name, text] of files) {
      const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
      await writable.write(text);
      await writable.close();
    }
    window.showDirectoryPicker = async () => folder;
  }, files);
  // The 2,001 writes' garbage is the benchmark's, not the page's: collected before measuring.
  await page.evaluate(() => window.gc?.());
}

export async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? 'index.html' : path);
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

// Playwright gives each launch a fresh temporary profile of its own. With `gc`, pages have
// `window.gc()`: a benchmark clears its own setup's garbage before it measures.
export async function launch({ gc = false } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(gc ? ['--js-flags=--expose-gc'] : []),
    ],
  });
}

/** A page of the app in `context`, with its problems recorded in `page.problems`. */
export async function open(context, url) {
  const page = await context.newPage();
  const origin = new URL(url).origin;
  page.problems = { console: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.console.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.pageErrors.push(String(e)));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      page.problems.foreignRequests.push(u);
    }
  });
  await page.goto(url);
  return page;
}

/** Fails unless the page logged no error, threw nothing and asked nothing of another origin. */
export function clean(page) {
  assert.deepEqual(page.problems, { console: [], pageErrors: [], foreignRequests: [] });
}

/** Serves dist/ and launches Chromium: `before(async () => ({ server, url, browser } = await start()))`. */
export async function start() {
  const { server, url } = await serve();
  return { server, url, browser: await launch() };
}

/** Closes what `start` opened. */
export async function stop({ server, browser }) {
  await browser?.close();
  server?.close();
}

// Wednesday 10 June 2026, 10:00 UTC: 12:00 in Berlin (and in Rome).
/**
 * Times `runs` changes of the period (one `input` event each, as a keystroke is) until the XML
 * and the first listed fetch both show it: checked after each task (which includes the wait
 * for the browser's next one), or with `microtasks` after each microtask (the work alone).
 * The benchmarks' edit (bench.mjs, bench-editor.mjs).
 */
export function periodChanges(page, runs, microtasks = false) {
  return page.evaluate(async ([runs, microtasks]) => {
    const channel = new MessageChannel();
    const nextTask = microtasks
      ? () => Promise.resolve()
      : () =>
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
      while (!xml.textContent.includes(`>${period}<`) || first() === before) await nextTask();
      times.push(performance.now() - start);
    }
    return times;
  }, [runs, microtasks]);
}

export const NOW = new Date('2026-06-10T10:00:00Z');

/**
 * A fresh page of the app at `address` (empty storage) in a new context of `browser`: 1280×900,
 * Europe/Berlin, downloads accepted, its clock at NOW (`options` may change any of these), once
 * the schedule is shown.
 */
export async function freshPage(browser, address, options = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Berlin',
    acceptDownloads: true,
    ...options,
  });
  await context.clock?.install({ time: NOW });
  const page = await open(context, address);
  await page.getByTestId('fetch').first().waitFor();
  return page;
}

/**
 * Runs axe-core's WCAG 2.0 and 2.1 A and AA rules on `page`: each violation as
 * `rule: targets`, and the rules that passed (`checked`).
 */
export async function axe(page) {
  await page.addScriptTag({ path: fileURLToPath(new URL('node_modules/axe-core/axe.min.js', import.meta.url)) });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      checked: result.passes.map((p) => p.id),
      violations: result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    };
  });
}
