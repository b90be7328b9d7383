// The editor on large settings files (issue 27), in headless Chromium against dist/: files of
// 1 MB and 7 MB with a phone book (as snom files carry), each imported, then the period changed
// (each change one input event, as one keystroke is), the period typed key by key, the mode
// set, Revert and Download. For each: the time to the XML and the timeline showing the edit,
// and every task over 50 ms (Long Tasks API), by phase.
// Run: (cd tests/browser && node bench-editor.mjs) after `bash scripts/test.sh` (or any
// `trunk build --release`). Prints Markdown.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, open, periodChanges } from './harness.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const max = (xs) => Math.max(...xs);

/** A snom file of about `size` bytes: 2,000 identities, the polling settings, a phone book. */
export function settingsFile(size) {
  const parts = ['<?xml version="1.0" encoding="utf-8"?>\r\n<settings>\r\n  <phone-settings e="2">\r\n'];
  for (let i = 0; i < 2000; i++) {
    parts.push(`    <user_realname idx="${i}" perm="R">Line ${i} &amp; Co</user_realname>\r\n    <user_pass idx="${i}" perm="R"><![CDATA[p<${i}>&s]]></user_pass>\r\n`);
  }
  parts.push('    <prov_polling_enabled perm="R">on</prov_polling_enabled>\r\n    <prov_polling_mode perm="R">rel</prov_polling_mode>\r\n    <prov_polling_period perm="R">86400</prov_polling_period>\r\n  </phone-settings>\r\n  <tbook e="2">\r\n');
  let length = parts.join('').length;
  for (let i = 0; length < size; i++) {
    const item = `    <item context="active" type="" fav="false" index="${i}"><name>Contact ${i}</name><number>+49 30 ${String(i).padStart(6, '0')}</number></item>\r\n`;
    parts.push(item);
    length += item.length;
  }
  parts.push('  </tbook>\r\n</settings>\r\n');
  return parts.join('');
}

/** Starts recording long tasks under `phase`. */
async function phase(page, name) {
  await page.evaluate((name) => { window.__phase = name; }, name);
}

async function bench(browser, url, path, size) {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin', acceptDownloads: true });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  await page.evaluate(() => {
    window.__tasks = [];
    window.__phase = 'load';
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([window.__phase, e.duration]);
    }).observe({ type: 'longtask' });
  });
  const name = path.split('/').pop();
  await phase(page, 'import');
  const started = await page.evaluate(() => performance.now());
  await page.locator('#import-file').setInputFiles(path);
  await page.getByText(`Imported ${name}`).waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="xml-output"]').textContent.includes('<?xml'));
  const imported = (await page.evaluate(() => performance.now())) - started;

  // One input event per change, as bench.mjs's edit: to the XML and the first fetch updated,
  // checked after each task (with the wait for the browser's next one), then after each
  // microtask (the work alone).
  await phase(page, 'change the period');
  const tasks = await periodChanges(page, 30);
  // The loop of the work alone is one task of the benchmark's own: not the page's.
  await phase(page, 'the work alone (one task by design)');
  const work = await periodChanges(page, 30, true);
  await phase(page, 'type 7200');
  await page.locator('[name="prov_polling_period"]').fill('');
  await page.locator('[name="prov_polling_period"]').pressSequentially('7200', { delay: 120 });
  await page.waitForFunction(() => document.querySelector('[data-testid="xml-output"]').textContent.includes('>7200<'));
  await phase(page, 'mode abs');
  await page.locator('[name="prov_polling_mode"]').selectOption('abs');
  await page.waitForFunction(() => document.querySelector('[data-testid="xml-output"]').textContent.includes('>abs<'));
  await page.waitForTimeout(300);
  await phase(page, 'Revert');
  await page.getByTestId('revert').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="xml-output"]').textContent.includes('>rel<'));
  await page.waitForTimeout(300);
  await phase(page, 'Download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  await download.path();
  await page.waitForTimeout(300);
  const long = await page.evaluate(() => window.__tasks);
  await context.close();
  return { size, imported, changes: tasks, work, tasks: long };
}

const dir = await mkdtemp(join(tmpdir(), 'provpoll-editor-'));
const { server, url } = await serve();
const browser = await launch();
try {
  console.log('| file | import → form and XML | a change → XML and timeline: median, max | the work alone: median, max | tasks over 50 ms (phase: ms) |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const [label, size] of (process.env.SIZES ? JSON.parse(process.env.SIZES) : [['1 MB', 1_100_000], ['7 MB', 6_800_000]])) {
    const path = join(dir, `phonebook-${label.replace(' ', '')}.xml`);
    await writeFile(path, settingsFile(size));
    for (let run = 0; run < Number(process.env.RUNS ?? 3); run++) {
      const r = await bench(browser, url, path, size);
      const long = r.tasks.filter(([p]) => p !== 'load' && !p.includes('by design')).map(([p, d]) => `${p}: ${d.toFixed(0)}`).join(', ') || 'none';
      console.log(`| ${label} (${(size / 1e6).toFixed(1)} MB) | ${r.imported.toFixed(0)} ms | ${median(r.changes).toFixed(1)}, ${max(r.changes).toFixed(1)} ms | ${median(r.work).toFixed(2)}, ${max(r.work).toFixed(2)} ms | ${long} |`);
    }
  }
} finally {
  await browser.close();
  server.close();
  await rm(dir, { recursive: true });
}
