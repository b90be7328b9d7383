// The folder's phase of issue 28 (BENCHMARKS.md), in headless Chromium against dist/: a folder
// of 2,000 phones (`scripts/bench-log.sh` writes it) opened through the files input, as a
// browser without the File System Access API hands it over. From the files chosen to the
// folder's table and its fleet drawn: the page's longest task, every task over 30 ms, and what
// the page did in it (each markup the worker sent, with its element, size and the time its
// parsing and layout took, measured around the call). A task that ends at the files input's
// `input` event is the browser's own: making 2,000 `File` objects, which Chromium does on the
// page's thread when the page listens to the input (a bare page with a `change` listener
// shows it too); the File System Access API's folder picker (Chromium's "Open a folder…")
// hands the worker a handle, no FileList, and cannot be answered here. With TRACE=1 each run
// is traced (Chromium's `mojom` category) and prints what the browser's task holds: one
// synchronous call to the browser's process per file, `MimeRegistry::GetMimeTypeFromExtension`,
// as Blink makes a `File` the user gave (its `type`), before any of the page's code runs.
// Run: bash scripts/bench-log.sh && (cd tests/browser && [TRACE=1] node bench-folder.mjs [DIR])
import { serve, launch, open, benchData } from './harness.mjs';

/** The MIME lookups in a trace: their count and time, and the task (over 100 ms) they are in. */
function mimeLookups(trace) {
  const events = trace.traceEvents ?? trace;
  const lookups = events.filter((e) => e.name === 'MimeRegistry::GetMimeTypeFromExtension' && e.ph === 'X');
  if (!lookups.length) return 'no MIME lookup';
  const { pid, tid } = lookups[0];
  const task = events.find((e) => e.pid === pid && e.tid === tid && e.name === 'ThreadControllerImpl::RunTask' && e.dur > 100_000 && e.ts <= lookups[0].ts && lookups[0].ts <= e.ts + e.dur);
  const inTask = lookups.filter((e) => task && e.pid === pid && e.tid === tid && e.ts >= task.ts && e.ts <= task.ts + task.dur);
  const ms = (us) => (us / 1000).toFixed(0);
  return `${inTask.length} MIME lookups, ${ms(inTask.reduce((a, e) => a + e.dur, 0))} ms of the browser's task of ${task ? ms(task.dur) : '?'} ms (${lookups.length} in the trace)`;
}

const { folder } = benchData();

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
    window.addEventListener('input', () => {
      const t = performance.now();
      window.__change.push([t, 0]);
      setTimeout(() => { window.__change[window.__change.length - 1][1] = performance.now() - t; }, 0);
    }, true);
    // Each markup the page puts in, timed with the layout it forces.
    const inner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
    Object.defineProperty(Element.prototype, 'innerHTML', {
      get() { return inner.get.call(this); },
      set(v) {
        const t = performance.now();
        inner.set.call(this, v);
        const parsed = performance.now();
        void document.body.offsetHeight;
        window.__sets.push([t, performance.now() - t, this.id || this.tagName, v.length, parsed - t]);
      },
    });
  });
  if (process.env.TRACE === '1') await browser.startTracing(page, { categories: ['mojom', 'toplevel'] });
  await page.getByTestId('import-files').setInputFiles(folder);
  await page.getByTestId('phone').first().waitFor({ timeout: 120_000 });
  // The fleet of the folder comes after; wait for the page to be quiet.
  await page.waitForTimeout(4000);
  const traced = process.env.TRACE === '1' ? mimeLookups(JSON.parse(await browser.stopTracing())) : '';
  const { long, sets, change } = await page.evaluate(() => ({ long: window.__long, sets: window.__sets, change: window.__change }));
  const input = change[0]?.[0] ?? 0;
  // The browser's own task ends as the input event comes; the page's tasks are the others.
  const browsers = long.filter(([s, d]) => s <= input && s + d >= input);
  const pages = long.filter((t) => !browsers.includes(t));
  const longest = Math.max(0, ...pages.map(([, d]) => d));
  console.log(`run ${run + 1}: the page's longest task ${longest.toFixed(0)} ms; the browser's making of the File objects ${browsers.map(([, d]) => d.toFixed(0)).join(', ') || 'none over 50'} ms; the input event's handlers ${change[0]?.[1].toFixed(0)} ms`);
  if (traced) console.log(`  traced (the times above are slowed by the tracing): ${traced}`);
  for (const [start, d] of pages.filter(([, d]) => d > 30)) {
    const inside = sets.filter(([t]) => t >= start && t <= start + d);
    const what = inside.map(([, ms, id, n, p]) => `${id} ${n} B ${ms.toFixed(0)} ms (parsed in ${p.toFixed(0)})`).join('; ');
    console.log(`  task ${d.toFixed(0)} ms at ${start.toFixed(0)}: ${what || 'no markup set'}`);
  }
  await context.close();
}
await browser.close();
server.close();
