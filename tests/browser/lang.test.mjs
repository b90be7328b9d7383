// German and English, and charts a person reads at a glance (issue 11), in headless Chromium
// against the release build on loopback, with the page's clock fixed at NOW.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { start, stop, freshPage, clean, axe } from './harness.mjs';

const FOLDER = fileURLToPath(new URL('../files/folder/', import.meta.url));

let server, url, browser;
before(async () => ({ server, url, browser } = await start()));
after(() => stop({ server, browser }));

/** A fresh page in a browser that prefers `locale`, its clock at NOW, in Europe/Berlin. */
const fresh = (locale, options = {}) => freshPage(browser, url, { locale, ...options });

const field = (page, name) => page.locator(`[name="${name}"]`);
const showFleet = async (page) => {
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  await page.getByTestId('fleet-alt-peak').waitFor();
};

/** English words in the page's own text, leaving out what is not the page's words: the file's
 * XML, setting names and values (`code`), the zone names of the zone picker, the language
 * names, and what a file holds (the folder's table). */
function englishWords(page) {
  return page.evaluate(() => {
    const skip = 'pre, code, select, script, style, [translate="no"], [data-testid="phones"]';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const found = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest(skip)) continue;
      const words = n.textContent.match(/\b(the|and|of|is|with|from|every|this|not|phones?|fetch(es)?|file|settings(?!\.xml))\b/gi);
      if (words) found.push(`${words.join(',')}: ${n.textContent.trim().slice(0, 80)}`);
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
      for (const name of ['aria-label', 'placeholder', 'title']) {
        const value = el.getAttribute(name);
        if (value && /\b(the|and|of|is|a)\b/i.test(value)) found.push(`${name}: ${value}`);
      }
    }
    return found;
  });
}

test('a German browser gets German, with dates and numbers as German writes them', async () => {
  const page = await fresh('de-DE');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await field(page, 'language').inputValue(), 'de');
  assert.equal(await page.locator('#settings-heading').textContent(), 'Polling-Einstellungen');
  assert.equal(
    await page.getByTestId('summary').textContent(),
    'Jeden Tag, zu einer zufälligen Zeit zwischen 09:00 und 09:10, Telefonzeit, ab morgen.',
  );
  // The list says each fetch once and compactly; its attributes stay RFC 3339.
  const first = page.getByTestId('fetch').first();
  assert.match(await first.textContent(), /^Polling: Do\., 11\. Juni, 09:00–09:10 \+02:00, Stichprobe 09:0\d:\d\d$/);
  assert.equal(await first.getAttribute('data-earliest'), '2026-06-11T09:00:00+02:00');
  assert.equal(await first.getAttribute('data-latest'), '2026-06-11T09:10:00+02:00');
  // The setting names and values stay as they go into the file.
  assert.equal(await field(page, 'prov_polling_mode').inputValue(), 'random');
  assert.match(await page.locator('[data-setting="prov_polling_mode"] code').textContent(), /^prov_polling_mode$/);
  // The fleet's figures: German grouping and decimal comma, and the time axis on the phone's clock.
  await showFleet(page);
  assert.equal(await page.getByTestId('fleet-peak').textContent(), '10.000');
  const table = await page.getByTestId('fleet').locator('table').first().textContent();
  assert.match(table, /Anfragen pro Minute im Mittel7,94/);
  assert.match(table, /Spitze umMi\., 10\. Juni, 12:00 \+02:00/);
  assert.deepEqual(
    await page.locator('.x-axis').first().locator('.tick-label').allTextContents(),
    ['Do. 11.', 'Fr. 12.', 'Sa. 13.', 'So. 14.', 'Mo. 15.', 'Di. 16.', 'Mi. 17.'],
  );
  assert.deepEqual(await englishWords(page), []);
  clean(page);
  await page.context().close();
});

test('the language control switches at once, without a reload, and is kept with the draft', async () => {
  const page = await fresh('en-GB');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.evaluate(() => (window.sameDocument = true));
  await field(page, 'prov_polling_period').fill('172800');
  await showFleet(page);
  assert.equal(await page.getByTestId('fleet-peak').textContent(), '10,000');

  await field(page, 'language').selectOption('de');
  await page.waitForFunction(() => document.documentElement.lang === 'de');
  assert.ok(await page.evaluate(() => window.sameDocument), 'no reload');
  assert.equal(await page.locator('#fleet-heading').textContent(), 'Flotte: Last auf dem Provisionierungsserver');
  assert.equal(
    await page.getByTestId('summary').textContent(),
    'Alle 2 Tage, zu einer zufälligen Zeit zwischen 09:00 und 09:10, Telefonzeit, ab morgen.',
  );
  assert.equal(await field(page, 'prov_polling_period').inputValue(), '172800', 'the draft stays');
  assert.equal(await page.locator('label[for="fleet-spread"]').textContent(), 'Sie übernehmen die Einstellungen');
  assert.equal(await page.locator('#fleet-spread option:checked').textContent(), 'alle auf einmal (nach einem Stromausfall)');
  await page.waitForFunction(() => document.querySelector('[data-testid="fleet-peak"]').textContent === '10.000');
  assert.equal(await page.locator('[name="phones"]').getAttribute('aria-describedby'), 'fleet-phones-error');
  assert.equal(await page.locator('#t0-offset').textContent(), 'UTC+02:00, Telefonzeit');
  assert.deepEqual(await englishWords(page), []);

  // Kept with the draft: a reload keeps German in an English browser.
  await page.reload();
  await page.getByTestId('fetch').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  assert.equal(await page.locator('#settings-heading').textContent(), 'Polling-Einstellungen');

  // And back: every static text is English again.
  await field(page, 'language').selectOption('en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.locator('#settings-heading').textContent(), 'Polling settings');
  assert.equal(await page.locator('[data-setting="prov_polling_period"] .label').textContent(), 'Polling period');
  assert.equal(
    await page.getByTestId('summary').textContent(),
    'Every 2 days, at a random time between 09:00 and 09:10, phone time, from tomorrow on.',
  );
  assert.equal(await page.locator('#import-file').getAttribute('aria-label'), 'Import a file');
  clean(page);
  await page.context().close();
});

test('errors, with their line and column, and warnings in German', async () => {
  const page = await fresh('de-DE');
  await field(page, 'prov_polling_period').fill('-5');
  assert.equal(
    await page.locator('#field-prov_polling_period-error').textContent(),
    'prov_polling_period darf nicht negativ sein (der Wert ist -5)',
  );
  assert.match(await page.getByTestId('blocked').textContent(), /^Korrigieren Sie zuerst prov_polling_period/);
  await field(page, 'prov_polling_period').fill('3600');
  await page.locator('details.paste summary').click();
  await page.locator('#paste').fill('<settings>\n<phone-settings>\n<prov_polling_mode>rel</prov_polling_mode>\n');
  await page.getByRole('button', { name: 'Eingefügten Text importieren' }).click();
  // The worker reads it (in the page's language); the status says so until it has.
  await page.getByText('pasted.xml wurde nicht importiert').waitFor();
  assert.equal(
    await page.getByTestId('file-status').textContent(),
    'pasted.xml wurde nicht importiert: Zeile 2, Spalte 1: die Datei endet, bevor dieses Element geschlossen ist. Ihre aktuelle Arbeit ist unverändert.',
  );
  await field(page, 'prov_polling_mode').selectOption('rel');
  await field(page, 'prov_polling_period').fill('60');
  assert.match(
    await page.getByTestId('warnings').textContent(),
    /^Einen zweiten Blick wertPolling alle 60 s ist häufiger als alle 5 Minuten/,
  );
  clean(page);
  await page.context().close();
});

test('the folder view in German, and drawn again in English when the language changes', async () => {
  const page = await fresh('de-DE');
  const names = (await readdir(FOLDER)).sort();
  await page.getByTestId('import-files').setInputFiles(names.map((n) => FOLDER + n));
  await page.getByTestId('phone').first().waitFor();
  assert.equal(
    await page.getByTestId('folder-status').textContent(),
    '11 Dateien gelesen: 5 Telefone in 4 Gruppen mit gleichen Einstellungen.',
  );
  assert.match(
    await page.getByTestId('findings').textContent(),
    /^000413C30002\.xml:3:3: Fehler: die Datei endet, bevor dieses Element geschlossen ist$/,
  );
  assert.match(
    await page.locator('[data-testid=phone][data-mac="000413B20001"]').textContent(),
    /Jeden Tag um 03:00 Telefonzeit, ab dem nächsten 03:00\. \(America\/New_York\)Do\., 11\. Juni, 03:00 -04:00/,
  );
  assert.equal(await page.locator('#folder-sort option:checked').textContent(), 'nach Gruppe');
  // One or many, as German says it.
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  await page.getByTestId('fleet-group').first().waitFor();
  assert.match(
    await page.getByTestId('fleet-counted').textContent(),
    /Nicht gezählt: 1 Telefon des Ordners, dessen Einstellungen unbekannt oder ungültig sind\.$/,
  );
  assert.match(await page.getByTestId('fleet-time').textContent(), / für 4 Telefone des Ordners, /);
  await page.locator('#folder-filter').fill('A11FA');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=phone]').length === 2);

  await field(page, 'language').selectOption('en');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="folder-status"]').textContent.startsWith('Read 11 files'),
  );
  assert.equal(await page.getByTestId('folder-status').textContent(), 'Read 11 files: 5 phones in 4 groups of alike settings.');
  assert.match(await page.getByTestId('findings').textContent(), /:3:3: error: the file ends before this element is closed$/);
  // The filter the user typed stays, and still filters.
  assert.equal(await page.locator('#folder-filter').inputValue(), 'A11FA');
  assert.equal(await page.getByTestId('phone').count(), 2);
  assert.equal(await page.locator('#folder-sort option:checked').textContent(), 'by group');
  clean(page);
  await page.context().close();
});

test('axe finds no WCAG 2 A or AA violations in German or in English, light and dark', async () => {
  for (const locale of ['de-DE', 'en-GB']) {
    for (const colorScheme of ['light', 'dark']) {
      const page = await fresh(locale, { colorScheme });
      await showFleet(page);
      await page.locator('.plot').first().focus();
      await page.keyboard.press('ArrowRight');
      const { violations } = await axe(page);
      assert.deepEqual(violations, [], `${locale} ${colorScheme}`);
      clean(page);
      await page.context().close();
    }
  }
});

test('a chart says each bucket when hovered or reached by the keyboard, and labels its peak', async () => {
  const page = await fresh('en-GB');
  // rel every day, taken over 10 minutes: from Thursday 12:00, 1,000 phones a minute for 10
  // minutes each day (rel's first fetch is a period after the settings take effect).
  await field(page, 'prov_polling_mode').selectOption('rel');
  await field(page, 'spread').selectOption('600');
  await showFleet(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="fleet-peak"]').textContent === '1,000');
  const plot = page.locator('.plot').first();
  // A week of minutes is 10,080 buckets, drawn as 1,000 columns of 11 minutes (the last shorter).
  assert.equal(await plot.getAttribute('aria-valuemax'), '916');
  assert.equal(await plot.locator('.peak-label').textContent(), 'Peak: 1,000 at Thu 11 Jun, 12:00 +02:00');
  // Both charts share one round scale: the alternative (random, 09:00–09:10) peaks a little
  // above 1,000, so the scale goes on to 1,500.
  const alt = Number((await page.getByTestId('fleet-alt-peak').textContent()).replace(',', ''));
  assert.ok(alt > 1000 && alt <= 1500, `alternative peak ${alt}`);
  assert.deepEqual(
    await page.locator('.y-axis').first().locator('span').allTextContents(),
    ['0', '500', '1,000', '1,500'],
  );
  // The keyboard: the slider starts at the peak's column and the arrows move along.
  await plot.focus();
  await page.keyboard.press('Home');
  assert.equal(await plot.getAttribute('aria-valuenow'), '0');
  assert.equal(
    await plot.getAttribute('aria-valuetext'),
    'Wed 10 Jun, 12:00–12:11 +02:00: no requests',
  );
  assert.equal(await plot.locator('.tip').textContent(), await plot.getAttribute('aria-valuetext'));
  assert.ok(await plot.locator('.tip').isVisible());
  await page.keyboard.press('ArrowRight');
  assert.equal(
    await plot.getAttribute('aria-valuetext'),
    'Wed 10 Jun, 12:11–12:22 +02:00: no requests',
  );
  // The pointer: a column is 11 minutes, under a pixel wide here; the tip says the column
  // under the pointer, found as the page finds it (the pointer's share of the width).
  const box = await plot.boundingBox();
  const x = Math.round(box.x + box.width * 0.145);
  await page.mouse.move(x, box.y + box.height / 2);
  const column = Math.floor(((x - box.x) / box.width) * 917);
  assert.equal(await plot.getAttribute('aria-valuenow'), String(column));
  const at = (minutes) => {
    const t = new Date(Date.UTC(2026, 5, 10, 12, 0) + minutes * 60_000); // on the phone's clock
    const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.getUTCDay()];
    const hm = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
    return [`${day} ${t.getUTCDate()} Jun`, hm];
  };
  const [[day, from], [, to]] = [at(column * 11), at(column * 11 + 11)];
  assert.match(
    await plot.locator('.tip').textContent(),
    new RegExp(`^${day}, ${from}–${to} \\+02:00: (no requests|at most 1,000 requests in a minute)$`),
  );
  await page.mouse.move(box.x + box.width / 2, box.y - 200);
  assert.ok(await plot.locator('.tip').isHidden());
  // The table stays, for screen readers.
  assert.match(await page.getByTestId('fleet').locator('table').first().textContent(), /Peak requests per minute1,000/);
  clean(page);
  await page.context().close();
});

test('the comparison never starts as a copy of the settings, and says what it changes', async () => {
  const page = await fresh('en-GB');
  await showFleet(page);
  // The vendor's example is random already: the first alternative that differs is rel.
  assert.equal(await field(page, 'alternative').inputValue(), 'rel');
  assert.equal(await page.getByTestId('fleet-changes').textContent(), 'The alternative changes: prov_polling_mode random → rel.');
  await field(page, 'prov_polling_mode').selectOption('rel');
  await page.waitForFunction(() => document.querySelector('[name="alternative"]').value === 'random');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="fleet-changes"]')?.textContent === 'The alternative changes: prov_polling_mode rel → random.',
  );
  // A choice the user makes stays, and says so when it changes nothing.
  await field(page, 'alternative').selectOption('rel');
  await page.waitForFunction(() =>
    /The alternative is the same as these settings/.test(document.querySelector('[data-testid="fleet-changes"]').textContent),
  );
  await field(page, 'alternative').selectOption('spread');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="fleet-changes"]').textContent ===
      'The alternative changes: taking effect over 0 seconds → 1 hour.',
  );
  clean(page);
  await page.context().close();
});

test('at 360 px the charts keep legible text; a narrow window stays visible; refresh is dashed', async () => {
  const page = await fresh('de-DE', { viewport: { width: 360, height: 800 } });
  // A window of 2 minutes every 30 days, over 30 days: 2 minutes of 43,200.
  await field(page, 'prov_polling_period').fill('2592000');
  await field(page, 'prov_polling_time_rand_end').fill('09:02');
  await field(page, 'settings_refresh_timer').fill('43200');
  await field(page, 'horizon').selectOption('month');
  const windowed = page.locator('[data-testid=fetch][data-source=polling]').first();
  assert.match(await windowed.textContent(), /^Polling: Do\., 11\. Juni, 09:00–09:02 \+02:00, Stichprobe 09:0[01]:\d\d$/);
  const band = page.locator('.fetch.polling .band');
  assert.match(await band.getAttribute('d'), /^M\d+\.\d \d+\.\dH\d+\.\dV\d+\.\dH\d+\.\dz$/);
  // Drawn at least 4 px wide at any width: an outline that does not scale with the drawing.
  assert.deepEqual(
    await band.evaluate((b) => [getComputedStyle(b).strokeWidth, getComputedStyle(b).vectorEffect]),
    ['4px', 'non-scaling-stroke'],
  );
  const dashes = await page.evaluate(() =>
    ['.fetch.polling .at', '.fetch.refresh .at'].map((s) => getComputedStyle(document.querySelector(s)).strokeDasharray),
  );
  assert.equal(dashes[0], 'none');
  assert.notEqual(dashes[1], 'none');
  await showFleet(page);
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('.tick-label, .lane-label, .now-label, .y-axis span, .peak-label, .legend')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => parseFloat(getComputedStyle(e).fontSize)),
  );
  assert.ok(sizes.length > 20, `${sizes.length} labels`);
  assert.ok(Math.min(...sizes) >= 11, `the smallest chart text is ${Math.min(...sizes)} px`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow} px wide`);
  clean(page);
  await page.context().close();
});
