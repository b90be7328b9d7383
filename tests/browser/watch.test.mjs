// The page served by `provpoll watch`, as an administrator opens it: it opens on the server's
// log, live, with no file picker; the table and its filter are the daemon's verdicts, and
// follow the lines appended to the log, with no task over 50 ms on the page's thread; no
// settings value reaches the browser.
//
// The folder: two snom phones polling every 600 s (rel), each with a SIP password.
// - A1 fetched 20 and 10 minutes ago: ok.
// - A2 fetched 80, 70 and 60 minutes ago, then nothing: silent, as of the clock.
// - then a phone not in the folder fetches: it joins the table as unknown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, open, clean } from './harness.mjs';

const BIN = process.env.PROVPOLL ?? fileURLToPath(new URL('../../target/debug/provpoll', import.meta.url));
const DIST = process.env.DIST ?? fileURLToPath(new URL('../../dist/', import.meta.url));
const PASSWORD = 'TopSecretSip1';
const [A1, A2, STRANGER] = ['000413A1B2C1', '000413A1B2C2', '000413FFFFF1'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's line for `mac`'s request `ago` seconds before now. */
function line(mac, ago) {
  const t = new Date(Date.now() - ago * 1000);
  const p = (n) => String(n).padStart(2, '0');
  const at = `${p(t.getUTCDate())}/${MONTHS[t.getUTCMonth()]}/${t.getUTCFullYear()}:${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())} +0000`;
  return `10.0.0.5 - - [${at}] "GET /snomD785-${mac}.xml HTTP/1.1" 200 512 "-" "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16)"\n`;
}

const dir = mkdtempSync(join(tmpdir(), 'provpoll-watch-'));
const folder = join(dir, 'tftp');
const log = join(dir, 'access.log');
let daemon, address, browser;

before(async () => {
  mkdirSync(folder);
  for (const mac of [A1, A2]) {
    writeFileSync(
      join(folder, `snomD785-${mac}.xml`),
      `<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>600</prov_polling_period>\n<user_pass idx="1">${PASSWORD}</user_pass>\n</phone-settings></settings>\n`,
    );
  }
  writeFileSync(log, [line(A2, 4800), line(A2, 4200), line(A2, 3600), line(A1, 1200), line(A1, 600)].join(''));
  daemon = spawn(BIN, ['watch', '--folder', folder, '--log', log, '--listen', '127.0.0.1:0', '--page', DIST], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  address = await new Promise((resolve, reject) => {
    let err = '';
    daemon.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    daemon.on('exit', (code) => reject(new Error(`provpoll watch ended (${code}): ${err}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  daemon?.kill('SIGTERM');
});

test('the page of provpoll watch shows the server log live and follows it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' });
  await context.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const bodies = [];
  context.on('response', async (r) => {
    try {
      bodies.push(await r.text());
    } catch {
      // A body already gone (a redirect, an aborted request) holds nothing to check.
    }
  });
  const page = await open(context, `${address}/`);
  // The panel's words for a log opened in the browser are not the server's.
  assert.equal(await page.locator('.log > .help').isHidden(), true);
  const status = page.locator('#log-status');
  await status.filter({ hasText: 'Live from the server' }).waitFor({ timeout: 20000 });
  if (process.env.SCREENSHOT) {
    await page.waitForTimeout(500);
    await page.screenshot({ path: fileURLToPath(new URL('../../target/live-open.png', import.meta.url)) });
  }
  assert.match(await status.textContent(), /as of \d\d:\d\d:\d\d: 5 lines, 5 requests read\./);
  // No file picker: the log is the server's.
  // Neither the panel's button nor the door at the top opens a log of the browser's.
  for (const open of await page.locator('[data-action="open-log"]').all()) {
    assert.equal(await open.isHidden(), true);
  }
  assert.equal(await page.locator('#log-close').isHidden(), true);
  const rows = page.locator('#log-rows');
  await rows.filter({ hasText: A1 }).waitFor();
  const text = await rows.textContent();
  assert.match(text, new RegExp(`silent${A2}`));
  assert.match(text, new RegExp(`ok${A1}`));
  assert.doesNotMatch(text, new RegExp(STRANGER));
  const before = await status.textContent();
  // From here on, every task is an update of the live view.
  await page.evaluate(() => (window.longTasks.length = 0));

  // A line appended: within a few seconds the stranger is in the table, the status moves on.
  appendFileSync(log, line(STRANGER, 0));
  await rows.filter({ hasText: STRANGER }).waitFor({ timeout: 15000 });
  assert.match(await rows.textContent(), new RegExp(`unknown${STRANGER}`));
  await status.filter({ hasText: '6 lines, 6 requests read' }).waitFor({ timeout: 15000 });
  assert.notEqual(await status.textContent(), before);

  // A phone's time strip, from the server: its fetches, the expected ones missed since, and its
  // settings in words.
  await page.locator('#log-rows').getByText(A2).click();
  const strip = page.locator('#log-strip');
  await strip.filter({ hasText: A2 }).waitFor({ timeout: 10000 });
  const said = await strip.textContent();
  assert.match(said, /Its settings: Every 10 minutes after the settings take effect\. Times in UTC\./);
  assert.match(said, /Fetches seen: 3, failed 0\. Expected: 7, met 2, missed 5; 0 met nothing expected\./);
  // It stays through the next updates.
  await page.waitForTimeout(3500);
  assert.equal(await strip.textContent(), said);
  // Nothing has changed since: the next update draws neither a row nor the strip again.
  const redrawn = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = { rows: 0, strip: 0 };
        for (const [id, key] of [['log-rows', 'rows'], ['log-strip', 'strip']]) {
          new MutationObserver((m) => (seen[key] += m.length)).observe(document.getElementById(id), {
            childList: true,
            subtree: true,
            characterData: true,
          });
        }
        setTimeout(() => resolve(seen), 3500);
      }),
  );
  assert.deepEqual(redrawn, { rows: 0, strip: 0 });
  // A1 fetches again (the counts stay): its row alone is drawn again; the others are the
  // same elements as before.
  await page.evaluate((mac) => (window.before = document.getElementById(`log-row-${mac}`)), A2);
  appendFileSync(log, line(A1, 0));
  await page.waitForFunction(
    (mac) => document.querySelector(`#log-row-${mac} td:nth-child(4)`)?.textContent === '3',
    A1,
    { timeout: 15000 },
  );
  assert.equal(await page.evaluate((mac) => window.before === document.getElementById(`log-row-${mac}`), A2), true);

  // The filter by verdict, as on a log opened by hand.
  await page.locator('#log-filter').selectOption('silent');
  await page.waitForFunction(
    (mac) => !document.querySelector('#log-rows').textContent.includes(mac),
    A1,
  );
  assert.match(await rows.textContent(), new RegExp(A2));
  if (process.env.SCREENSHOT) {
    await page.locator('#log-filter').selectOption('');
    await page.waitForTimeout(500);
    await page.locator('#log-heading').scrollIntoViewIfNeeded();
    await page.screenshot({ path: fileURLToPath(new URL('../../target/live.png', import.meta.url)) });
  }
  // Two more updates, then: no task over 50 ms, and no secret came to the browser.
  await page.waitForTimeout(7000);
  const longest = Math.max(0, ...(await page.evaluate(() => window.longTasks)));
  assert.ok(longest <= 50, `a task of ${longest} ms`);
  for (const body of bodies) assert.ok(!body.includes(PASSWORD));
  assert.ok(!(await page.content()).includes(PASSWORD));
  clean(page);

  // The daemon stops: the status says so, and the last report stays on the page.
  daemon.kill('SIGTERM');
  await status.filter({ hasText: 'The server does not answer' }).waitFor({ timeout: 15000 });
  assert.match(await rows.textContent(), new RegExp(`silent${A2}`));
  await context.close();
});
