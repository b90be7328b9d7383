// A server's log in the page, as an administrator uses it: the doors at the top, a folder and
// its log (plain, gzip, rotated, cut short), the counts per verdict, the filter, one phone's
// time strip, a log dropped on the page, a log alone, bad files, Cancel, and German.
//
// The folder: four phones polling every hour (rel, 3600 s). The log, by hand:
// - C3 fetches every hour from 00:00 to 06:00: ok.
// - C4 fetches at 00:00 and 01:00, then nothing: 02:00, 03:00, 04:00 and 05:00 are missed
//   (06:00 is not yet 2 minutes past when the log ends at 06:00:40): silent.
// - C5 is in the folder and not in the log: never seen.
// - C6 fetches at 05:00 and at 06:00, which is answered 404: failing.
// - 000413FFFFFF is not in the folder: unknown.
// - a firmware request without a MAC from C3's address joins C3's fetch; a line of another
//   program is skipped, and named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { start, stop, freshPage, clean, axe } from './harness.mjs';

let server, url, browser;
before(async () => ({ server, url, browser } = await start()));
after(() => stop({ server, browser }));

const dir = mkdtempSync(join(tmpdir(), 'provpoll-log-'));
const MACS = ['000413A1B2C3', '000413A1B2C4', '000413A1B2C5', '000413A1B2C6'];
const AGENT = (mac) =>
  `Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) ${mac} SXM:0 UXM:0 UXMC:0)`;

function line(hour, minute, address, path, status, agent) {
  const hh = String(hour).padStart(2, '0');
  const mm = String(minute).padStart(2, '0');
  return `${address} - - [14/Jan/2026:${hh}:${mm}:00 +0000] "GET ${path} HTTP/1.1" ${status} 512 "-" "${agent}"`;
}

function folderFiles() {
  const files = [];
  const general = join(dir, 'snomD785.xml');
  writeFileSync(
    general,
    '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n</phone-settings></settings>\n',
  );
  files.push(general);
  for (const mac of MACS.slice(0, 3).concat(MACS[3])) {
    const own = join(dir, `snomD785-${mac}.xml`);
    writeFileSync(own, '<settings><phone-settings>\n</phone-settings></settings>\n');
    files.push(own);
  }
  return files;
}

/** Today's lines (from 03:00) and the rotated ones (before 03:00). */
function logLines() {
  const lines = [];
  for (let h = 0; h <= 6; h++) {
    lines.push(line(h, 0, '10.0.0.3', '/fw/snomD785-10.1.169.16-r.bin', 200, 'snomD785'));
    lines.push(line(h, 0, '10.0.0.3', `/prov/snomD785-${MACS[0]}.xml`, 200, AGENT(MACS[0])));
  }
  lines.push(line(0, 0, '10.0.0.4', `/prov/snomD785-${MACS[1]}.xml`, 200, AGENT(MACS[1])));
  lines.push(line(1, 0, '10.0.0.4', `/prov/snomD785-${MACS[1]}.xml`, 304, AGENT(MACS[1])));
  lines.push(line(5, 0, '10.0.0.6', `/prov/snomD785-${MACS[3]}.xml`, 200, AGENT(MACS[3])));
  lines.push(line(6, 0, '10.0.0.6', `/prov/snomD785-${MACS[3]}.xml`, 404, AGENT(MACS[3])));
  lines.push(line(2, 30, '10.0.0.9', '/prov/snomD785-000413FFFFFF.xml', 200, AGENT('000413FFFFFF')));
  // A request no phone can be tied to: it only ends the log.
  lines.push(line(6, 0, '10.0.0.99', '/prov/snomD785.xml', 200, 'x').replace('06:00:00', '06:00:40'));
  lines.sort((a, b) => a.slice(a.indexOf('[')).localeCompare(b.slice(b.indexOf('['))));
  return lines;
}

function write(name, bytes) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const lines = logLines();
const cut = lines.findIndex((l) => l.includes(':03:00:00'));
const TODAY = write('access.log', lines.slice(cut).join('\n') + '\nnginx: [warn] a line of another program\n');
// The rotated file in two gzip members, as `cat a.gz b.gz` makes it: the browser's
// DecompressionStream stops after the first, the page reads both.
const ROTATED = write(
  'access.log.1.gz',
  Buffer.concat([
    gzipSync(lines.slice(0, 4).join('\n') + '\n'),
    gzipSync(lines.slice(4, cut).join('\n') + '\n'),
  ]),
);
const WHOLE = lines.join('\r\n') + '\r\n';

async function openFolder(page) {
  await page.getByTestId('import-files').setInputFiles(folderFiles());
  await page.getByTestId('phone').first().waitFor();
}

async function openLog(page, files) {
  await page.locator('#import-log').setInputFiles(files);
  await page.getByTestId('log-phone').first().waitFor();
}

/** The counts per verdict, as the page shows them: { verdict: n }. */
async function counts(page) {
  const items = await page.locator('[data-testid=log-counts] li').evaluateAll((li) =>
    li.map((l) => [l.dataset.verdict, Number(l.querySelector('b').textContent)]),
  );
  return Object.fromEntries(items);
}

async function verdicts(page) {
  return page
    .getByTestId('log-phone')
    .evaluateAll((rows) => rows.map((r) => [r.dataset.verdict, r.querySelector('button').textContent]));
}

const EXPECTED = [
  ['never-seen', '000413A1B2C5'],
  ['unknown', '000413FFFFFF'],
  ['silent', '000413A1B2C4'],
  ['failing', '000413A1B2C6'],
  ['ok', '000413A1B2C3'],
];

test('the three doors lead to their views, and the bar keeps the form one step away', async () => {
  const page = await freshPage(browser, url);
  const doors = await page.locator('.door button').allTextContents();
  assert.deepEqual(doors, ['Open a settings file…', 'Open a folder…', 'Open a server log…']);
  // The doors stand in the first screen; the log's door opens its picker and leads to its view.
  const box = await page.locator('.door').last().boundingBox();
  assert.ok(box.y + box.height < 900, `the doors end at ${box.y + box.height}px`);
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.door button').last().click();
  await (await chooser).setFiles([TODAY]);
  await page.getByTestId('log-phone').first().waitFor();
  const heading = await page.locator('#log-heading').boundingBox();
  assert.ok(heading.y >= 0 && heading.y < 300, `the log's view is in sight at ${heading.y}px`);
  // One step back to the form.
  await page.locator('.jump button', { hasText: 'Polling settings' }).click();
  await page.waitForFunction(() => {
    const y = document.getElementById('settings-heading').getBoundingClientRect().y;
    return y >= 0 && y < 200;
  });
  clean(page);
});

test('a folder and its log, in two files (one gzip) in any order: each phone its verdict, worst first', async () => {
  const page = await freshPage(browser, url);
  await openFolder(page);
  await openLog(page, [TODAY, ROTATED]);
  assert.deepEqual(await verdicts(page), EXPECTED);
  assert.deepEqual(await counts(page), {
    'never-seen': 1,
    unknown: 1,
    silent: 1,
    failing: 1,
    'not-predicted': 0,
    missed: 0,
    unscheduled: 0,
    ok: 1,
  });
  const status = await page.locator('#log-status').textContent();
  assert.equal(
    status,
    'Read 2 files (0.0 MB): 21 lines, 20 requests. The log runs from Wed 14 Jan, 01:00 +01:00 to Wed 14 Jan, 07:00 +01:00. 1 request could not be tied to a phone.',
  );
  const files = await page.locator('#log-files').locator('li').allTextContents();
  assert.deepEqual(files, [
    'access.log: 12 lines, 11 requests. 1 line is not a request and was skipped: line 12.',
    'access.log.1.gz: 9 lines, 9 requests.',
  ]);
  // C3's row: its fetches (the firmware request joined its fetch), expected, met, missed.
  const c3 = page.locator('[data-testid=log-phone][data-verdict=ok]');
  assert.deepEqual(await c3.locator('td').allTextContents(), [
    'ok',
    '000413A1B2C3',
    'Wed 14 Jan, 07:00 +01:00',
    '7',
    '6',
    '6',
    '0',
    'D785 10.1.169.16',
    '10.0.0.3',
  ]);
  const c6 = page.locator('[data-testid=log-phone][data-verdict=failing] td');
  assert.equal(await c6.nth(3).textContent(), '2 (1 failed)');
  clean(page);
});

test('the filter shows one verdict, and a phone its time strip: bands expected, fetches seen', async () => {
  const page = await freshPage(browser, url);
  await openFolder(page);
  await openLog(page, [ROTATED, TODAY]);
  await page.locator('#log-filter').focus();
  await page.locator('#log-filter').selectOption('silent');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=log-phone]').length === 1);
  assert.deepEqual(await verdicts(page), [['silent', '000413A1B2C4']]);
  assert.match(await page.getByTestId('log-note').textContent(), /^1 phone shown, worst first/);
  // Only the rows are drawn again: the filter keeps its focus (a keyboard user goes on).
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'log-filter');
  await page.locator('[data-action=log-phone]').click();
  const strip = page.getByTestId('log-strip');
  await strip.locator('svg').waitFor();
  // Only the strip is drawn: the phone's button keeps its focus.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.mac), '000413A1B2C4');
  assert.equal(await strip.locator('h3').textContent(), '000413A1B2C4: silent');
  // From its 00:00: 01:00 met; from its 01:00: 02:00 to 05:00 missed.
  assert.equal(await strip.locator('rect.met').count(), 1);
  assert.equal(await strip.locator('rect.missed').count(), 4);
  assert.equal(await strip.locator('line.seen').count(), 2);
  assert.match(
    await strip.textContent(),
    /Fetches seen: 2, failed 0\. Expected: 5, met 1, missed 4; 0 met nothing expected\./,
  );
  // The filter stays as chosen while the strip is drawn.
  assert.equal(await page.locator('#log-filter').inputValue(), 'silent');
  // The failing phone's failed fetch is marked.
  await page.locator('#log-filter').selectOption('');
  await page.locator('[data-action=log-phone][data-mac="000413A1B2C6"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=log-strip] h3')?.textContent.startsWith('000413A1B2C6'));
  assert.equal(await strip.locator('line.failed').count(), 1);
  await page.screenshot({ path: join(dir, 'log.png'), fullPage: false });
  clean(page);
});

// Each font (family, size, weight, style) that laid out text, visible or hidden: Chromium looks
// each up once, through its sandbox, and the lookup holds the page's thread.
function fonts(page) {
  return page.evaluate(() => {
    const seen = new Set();
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const e = n.parentElement;
      if (!n.textContent.trim() || !e.getClientRects().length) continue;
      const s = getComputedStyle(e);
      seen.add(`${s.fontFamily} ${s.fontSize} ${s.fontWeight} ${s.fontStyle}`);
    }
    return [...seen].sort();
  });
}

test("the folder's and the log's views use no font the page has not looked up at start", async () => {
  // Looked up as the first rows came, each font held the page's thread 12-78 ms while the
  // browser read the folder's files (issue 28): index.html lays them out, hidden, at start.
  const page = await freshPage(browser, url);
  const atStart = new Set(await fonts(page));
  await openFolder(page);
  await openLog(page, [TODAY, ROTATED]);
  await page.locator('[data-action=log-phone]').first().click();
  await page.getByTestId('log-strip').locator('svg').waitFor();
  const later = await fonts(page);
  assert.ok(later.some((f) => f.startsWith('monospace 14.4px 400')), later.join('\n'));
  assert.deepEqual(later.filter((f) => !atStart.has(f)), []);
  clean(page);
});

test('a log dropped on the page is told by its content; alone, every phone is unknown', async () => {
  const page = await freshPage(browser, url);
  const before = await page.getByTestId('xml-output').textContent();
  const drop = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'provisioning', { type: '' }));
    return data;
  }, WHOLE);
  await page.dispatchEvent('body', 'drop', { dataTransfer: drop });
  await page.getByTestId('log-phone').first().waitFor();
  const all = await verdicts(page);
  assert.equal(all.length, 4);
  assert.ok(all.every(([v]) => v === 'unknown'), JSON.stringify(all));
  assert.equal(await page.getByTestId('xml-output').textContent(), before, 'the settings file is not touched');
  // Opening the folder after the log holds the log against it.
  await openFolder(page);
  await page.waitForFunction(() => document.querySelector('[data-testid=log-phone]')?.dataset.verdict === 'never-seen');
  assert.deepEqual(await verdicts(page), EXPECTED);
  clean(page);
});

test('several log files dropped at once are one log, not a folder', async () => {
  const page = await freshPage(browser, url);
  await openFolder(page);
  const { readFileSync } = await import('node:fs');
  const drop = await page.evaluateHandle(
    ([today, rotated]) => {
      const data = new DataTransfer();
      data.items.add(new File([today], 'access.log'));
      data.items.add(new File([Uint8Array.from(rotated)], 'access.log.1.gz'));
      return data;
    },
    [readFileSync(TODAY, 'utf8'), [...readFileSync(ROTATED)]],
  );
  await page.dispatchEvent('body', 'drop', { dataTransfer: drop });
  await page.getByTestId('log-phone').first().waitFor();
  assert.deepEqual(await verdicts(page), EXPECTED);
  // The folder opened before is still the folder.
  assert.equal(await page.getByTestId('phone').count(), 4);
  clean(page);
});

test('bad files are named and lose nothing: empty, binary, no request, gzip cut short, a 10 MB line', async () => {
  const page = await freshPage(browser, url);
  await openFolder(page);
  await openLog(page, [TODAY, ROTATED]);
  const whole = gzipSync(WHOLE);
  const bad = [
    write('empty.log', ''),
    write('binary.log', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256))),
    write('other.log', 'Jan 14 00:00:00 host sshd[1]: accepted\nno request here\n'),
    write('cut.log.gz', whole.subarray(0, Math.floor(whole.length * 0.6))),
    write('long.log', 'x'.repeat(10 << 20) + '\n' + lines[0] + '\n'),
  ];
  await page.locator('#import-log').setInputFiles(bad);
  await page.waitForFunction(() => document.querySelectorAll('#log-files li').length === 5);
  const files = await page.locator('#log-files').locator('li').allTextContents();
  assert.equal(files[0], 'empty.log is empty.');
  assert.match(files[1], /^binary\.log: \d+ lines, 0 requests\. \d+ lines are not requests and were skipped: lines 1, 2, 3, 4, 5, …\.$/);
  assert.equal(files[2], 'other.log: 2 lines, 0 requests. 2 lines are not requests and were skipped: lines 1, 2.');
  assert.match(files[3], /^cut\.log\.gz: \d+ lines, \d+ requests\. It could not be read to its end: the file ends inside its gzip stream after \d+ lines \(.+\)\.$/);
  assert.equal(files[4], 'long.log: 2 lines, 1 request. 1 line is not a request and was skipped: line 1.');
  assert.equal(await page.locator('#log-files').locator('li.error').count(), 4);
  clean(page);
});

test('a log with no request says so', async () => {
  const page = await freshPage(browser, url);
  await page.locator('#import-log').setInputFiles([write('notes.txt', 'hello\n')]);
  await page.waitForFunction(() => document.querySelector('#log-status').textContent.includes('Not one line'));
  assert.match(
    await page.locator('#log-status').textContent(),
    /^Read 1 file \(0\.0 MB\): 1 line, 0 requests\. Not one line is a request/,
  );
  clean(page);
});

test('Cancel stops the reading and keeps the log shown before', async () => {
  const page = await freshPage(browser, url);
  await openFolder(page);
  await openLog(page, [TODAY, ROTATED]);
  // A log that cannot be read to its end before Cancel is pressed on any machine: 16 GB, sparse
  // (no disk is spent on it; its bytes are zeros, one line too long to be a request).
  const big = join(dir, 'big.log');
  writeFileSync(big, '');
  truncateSync(big, 16 * 2 ** 30);
  await page.locator('#import-log').setInputFiles([big]);
  await page.locator('#log-progress').waitFor();
  await page.locator('[data-action=log-cancel]').click();
  await page.waitForFunction(() => document.querySelector('#log-status').textContent.startsWith('Reading the log was cancelled'));
  assert.equal(await page.locator('#log-progress').isHidden(), true);
  assert.deepEqual(await verdicts(page), EXPECTED);
  clean(page);
});

test('in German, the log speaks German', async () => {
  const page = await freshPage(browser, url, { locale: 'de-DE' });
  await page.locator('html[lang=de]').waitFor();
  assert.equal(await page.locator('.door button').last().textContent(), 'Server-Log öffnen…');
  await openFolder(page);
  await openLog(page, [TODAY, ROTATED]);
  const names = await page.locator('[data-testid=log-counts] li').allTextContents();
  assert.deepEqual(names, ['1 nie gesehen', '1 unbekannt', '1 verstummt', '1 scheitert', '0 nicht vorhergesagt', '0 verpasst', '0 außer Plan', '1 ok']);
  assert.match(await page.locator('#log-status').textContent(), /^2 Dateien gelesen/);
  await page.locator('[data-action=log-phone][data-mac="000413A1B2C4"]').click();
  await page.getByTestId('log-strip').locator('svg').waitFor();
  assert.match(await page.getByTestId('log-strip').textContent(), /Gesehene Abrufe: 2, fehlgeschlagen 0/);
  await page.screenshot({ path: join(dir, 'log-de.png') });
  clean(page);
});

test('axe finds no WCAG 2 A or AA violations with a log, its table and a strip shown, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await freshPage(browser, url, { colorScheme });
    await openFolder(page);
    await openLog(page, [TODAY, ROTATED]);
    await page.locator('[data-action=log-phone][data-mac="000413A1B2C6"]').click();
    await page.getByTestId('log-strip').locator('svg').waitFor();
    const { violations } = await axe(page);
    assert.deepEqual(violations, [], colorScheme);
    clean(page);
    await page.context().close();
  }
});

test('a mixed server: every vendor\'s phone read, predicted and judged by its own schedule, read only', async () => {
  // Files in the shapes of the public templates (the files are ours), in a folder of their own.
  const mixed = mkdtempSync(join(tmpdir(), 'provpoll-mixed-'));
  const files = {
    'snomD785.xml': '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n<prov_polling_mode>rel</prov_polling_mode>\n<prov_polling_period>3600</prov_polling_period>\n</phone-settings></settings>\n',
    'snomD785-000413A1B2C3.xml': '<settings><phone-settings>\n</phone-settings></settings>\n',
    '000000000000.cfg': '<?xml version="1.0" standalone="yes"?><APPLICATION APP_FILE_PATH="sip.ld" CONFIG_FILES="[PHONE_MAC_ADDRESS].cfg"/>',
    '0004f2a1b2c4.cfg': '<?xml version="1.0" standalone="yes"?>\n<polycomConfig>\n<prov prov.polling.enabled="1" prov.polling.mode="rel" prov.polling.period="7200"/>\n</polycomConfig>',
    'y000000000028.cfg': '#!version:1.0.0.1\nstatic.auto_provision.repeat.enable = 1\nstatic.auto_provision.repeat.minutes = 60\n',
    '805ec0123456.cfg': '#!version:1.0.0.1\naccount.1.label = 101\n',
    'spa0002fdff2103.xml': '<flat-profile>\n<Resync_Periodic ua="na">3600</Resync_Periodic>\n</flat-profile>\n',
    'cfg000b82123456.xml': '<?xml version="1.0" encoding="UTF-8"?>\n<gs_provision version="1"><config version="1">\n<P194>1</P194>\n<P193>60</P193>\n</config></gs_provision>\n',
    '0c383e123456.cfg': '<<VOIP CONFIG FILE>>Version:2.0000000000\n',
  };
  const paths = Object.entries(files).map(([name, body]) => {
    writeFileSync(join(mixed, name), body);
    return join(mixed, name);
  });
  const poly = 'FileTransport PolycomVVX-VVX_500-UA/5.9.7.4477';
  const yealink = 'Yealink SIP-T46G 28.83.0.50 80:5e:c0:12:34:56';
  const cisco = 'Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT1234)';
  const log = [];
  for (let h = 0; h < 3; h++) {
    log.push(line(h, 0, '10.0.0.3', '/snomD785-000413A1B2C3.xml', 200, AGENT('000413A1B2C3')));
    log.push(line(h, 30, '10.0.0.6', '/spa0002fdff2103.xml', 200, cisco));
    if (h !== 1) {
      // Poly every 2 hours, as its settings say; Yealink too, though its common file says
      // every 60 minutes.
      log.push(line(h, 10, '10.0.0.4', '/000000000000.cfg', 200, poly));
      log.push(line(h, 10, '10.0.0.4', '/0004f2a1b2c4.cfg', 200, poly));
      log.push(line(h, 20, '10.0.0.5', '/y000000000028.cfg', 200, yealink));
      log.push(line(h, 20, '10.0.0.5', '/805ec0123456.cfg', 200, yealink));
    }
  }
  log.push(line(1, 40, '10.0.0.7', '/0c383e123456.cfg', 200, 'Fanvil X4 2.4.1 0c383e123456'));
  const page = await freshPage(browser, url);
  await page.getByTestId('import-files').setInputFiles(paths);
  await page.getByTestId('phone').first().waitFor();
  assert.equal(await page.getByTestId('phone').count(), 6, 'the common files are no phones');
  // Poly's phone: its vendor, its values by Poly's names with their file and line, its
  // schedule in words and its next fetch; read only.
  const polyRow = page.locator('[data-testid=phone][data-mac="0004F2A1B2C4"]');
  const cells = await polyRow.locator('td').allTextContents();
  assert.equal(cells[2], 'Poly');
  assert.match(cells[4], /prov\.polling\.period 7200 0004f2a1b2c4\.cfg:3/);
  assert.match(cells[4], /Read only: the form edits snom's settings/);
  assert.match(cells[5], /^Every 2 hours after the phone starts\. \(/);
  assert.notEqual(cells[6], '');
  assert.equal(await polyRow.locator('input[type=checkbox]').isDisabled(), true);
  const yealinkCells = await page.locator('[data-testid=phone][data-mac="805EC0123456"]').locator('td').allTextContents();
  assert.match(yealinkCells[4], /static\.auto_provision\.repeat\.minutes 60 y000000000028\.cfg:3/);
  assert.match(yealinkCells[5], /^Repeat: every 1 hour after the phone starts\./);
  const fanvilCells = await page.locator('[data-testid=phone][data-mac="0C383E123456"]').locator('td').allTextContents();
  assert.match(fanvilCells[4], /not read: a Fanvil phone, whose polling settings provpoll does not read/);
  await openLog(page, [write('mixed.log', log.join('\n') + '\n')]);
  assert.deepEqual(await verdicts(page), [
    ['never-seen', '000B82123456'],
    ['not-predicted', '0C383E123456'],
    ['missed', '805EC0123456'],
    ['ok', '0002FDFF2103'],
    ['ok', '000413A1B2C3'],
    ['ok', '0004F2A1B2C4'],
  ]);
  const missed = await page.locator('[data-testid=log-phone][data-verdict=missed]').first().locator('td').allTextContents();
  assert.deepEqual(missed.slice(3, 7), ['2', '2', '1', '1']);
  assert.match(missed[7], /^Yealink/);
  assert.equal((await counts(page))['not-predicted'], 1);
  await page.locator('[data-action=log-phone][data-mac="805EC0123456"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=log-strip] h3')?.textContent.startsWith('805EC0123456'));
  assert.match(await page.getByTestId('log-strip').textContent(), /Its settings: Repeat: every 1 hour after the phone starts\./);
  if (process.env.SCREENSHOT) await page.screenshot({ path: '../../target/mixed.png', fullPage: true });
  clean(page);
});
