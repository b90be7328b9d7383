// Issue 16 in Chromium: an invalid field keeps its last valid value in the XML and the
// timeline; Tancredi's window end; the old name's warning and its rename; markup a phone
// rejects, found on import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { start, stop, freshPage, clean } from './harness.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

let server, url, browser;
before(async () => ({ server, url, browser } = await start()));
after(() => stop({ server, browser }));

const fresh = () => freshPage(browser, url);

const field = (page, name) => page.locator(`[name="${name}"]`);
const xml = (page) => page.getByTestId('xml-output').textContent();
const windows = (page) =>
  page.getByTestId('fetch').evaluateAll((items) =>
    items.map((li) => [li.dataset.source, li.dataset.earliest, li.dataset.latest]),
  );
const STALE = 'A field has an error: this summary, the timeline and the fleet show the last valid settings.';

/** Clears the field, then types `text` key by key, as a person retyping a value does. */
async function retype(page, name, text) {
  const input = field(page, name);
  await input.fill('');
  await input.pressSequentially(text);
  assert.equal(await input.getAttribute('aria-invalid'), 'true', name);
}

async function download(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  return readFile(await file.path());
}

/** Imports a file of tests/files and waits until the form has it. */
async function importFile(page, path) {
  await page.locator('#import-file').setInputFiles(here(`../files/${path}`));
  const name = path.split('/').pop();
  await page.getByText(`Imported ${name}`).waitFor();
}

test('an invalid period, time, window end or refresh timer keeps its last valid value', async () => {
  const page = await fresh();
  await page.getByRole('button', { name: 'New file' }).click();

  // The period, after polling on, rel, 3600.
  await field(page, 'prov_polling_mode').selectOption('rel');
  await field(page, 'prov_polling_period').fill('3600');
  await field(page, 'horizon').selectOption('day');
  const hourly = await windows(page);
  assert.deepEqual(hourly[0], ['polling', '2026-06-10T13:00:00+02:00', '2026-06-10T13:00:00+02:00']);
  await retype(page, 'prov_polling_period', 'abc');
  assert.match(await xml(page), /<prov_polling_period>3600<\/prov_polling_period>/);
  assert.deepEqual(await windows(page), hourly);
  assert.equal(await page.getByTestId('stale').textContent(), STALE);
  assert.equal(
    await page.getByTestId('summary').textContent(),
    'Every 1 hour after the settings take effect.',
  );
  // Another field edited meanwhile counts: only the period stands at its last valid value.
  await field(page, 'settings_refresh_timer').fill('86400');
  assert.match(await xml(page), /<prov_polling_period>3600<\/prov_polling_period>/);
  assert.match(await xml(page), /<settings_refresh_timer>86400<\/settings_refresh_timer>/);
  await field(page, 'settings_refresh_timer').fill('');
  await field(page, 'prov_polling_period').fill('7200');
  assert.equal(await page.getByTestId('stale').textContent(), '');

  // The time, in abs mode.
  await field(page, 'prov_polling_mode').selectOption('abs');
  await field(page, 'prov_polling_time').fill('03:00');
  await field(page, 'horizon').selectOption('week');
  const daily = await windows(page);
  assert.deepEqual(daily[0], ['polling', '2026-06-11T03:00:00+02:00', '2026-06-11T03:00:00+02:00']);
  await retype(page, 'prov_polling_time', '3h');
  assert.match(await xml(page), /<prov_polling_time>03:00<\/prov_polling_time>/);
  assert.deepEqual(await windows(page), daily);
  await field(page, 'prov_polling_time').fill('03:00');

  // The window's end, in random mode.
  await field(page, 'prov_polling_mode').selectOption('random');
  await field(page, 'prov_polling_period').fill('86400');
  await field(page, 'prov_polling_time_rand_end').fill('03:30');
  const window = await windows(page);
  assert.deepEqual(window[0], ['polling', '2026-06-11T03:00:00+02:00', '2026-06-11T03:30:00+02:00']);
  await retype(page, 'prov_polling_time_rand_end', '3.45');
  assert.match(await xml(page), /<prov_polling_time_rand_end>03:30<\/prov_polling_time_rand_end>/);
  assert.deepEqual(await windows(page), window);
  await field(page, 'prov_polling_time_rand_end').fill('03:30');

  // The refresh timer, with polling off.
  await field(page, 'prov_polling_enabled').selectOption('off');
  await field(page, 'settings_refresh_timer').fill('7200');
  const refresh = await windows(page);
  assert.deepEqual(refresh[0], ['refresh_timer', '2026-06-10T14:00:00+02:00', '2026-06-10T14:00:00+02:00']);
  await retype(page, 'settings_refresh_timer', 'x7');
  assert.match(await xml(page), /<settings_refresh_timer>7200<\/settings_refresh_timer>/);
  assert.deepEqual(await windows(page), refresh);
  assert.equal(await page.getByTestId('stale').textContent(), STALE);
  clean(page);
  await page.context().close();
});

test("Tancredi's file: a window from 01:00 to 04:00 in the file's zone, downloaded as it was", async () => {
  const page = await fresh();
  await importFile(page, 'tancredi/complete.xml');
  assert.equal(await field(page, 'prov_polling_time_rand_end').inputValue(), '04:00');
  assert.equal(
    await page.getByTestId('summary').textContent(),
    'Every day, at a random time between 01:00 and 04:00, phone time, from tomorrow on.',
  );
  const w = await windows(page);
  assert.deepEqual(w[0], ['polling', '2026-06-11T01:00:00+02:00', '2026-06-11T04:00:00+02:00']);
  assert.equal(await page.getByTestId('rename').isVisible(), false);
  const original = await readFile(here('../files/tancredi/complete.xml'));
  assert.equal(Buffer.compare(await download(page), original), 0);
  clean(page);
  await page.context().close();
});

test('the old name is named with its line, the phone takes one minute, and one button renames it', async () => {
  const page = await fresh();
  await importFile(page, 'tancredi/old-name.xml');
  const problems = page.getByTestId('file-problems');
  await problems.locator('li').first().waitFor();
  assert.deepEqual(await problems.locator('li').allTextContents(), [
    "line 18, column 9: prov_polling_time_rand is not a setting the phone knows, so it ignores this value: the window's end is prov_polling_time_rand_end",
  ]);
  assert.equal(await page.getByTestId('file-rejected').textContent(), '', 'a phone takes the file');
  assert.match(
    await page.getByTestId('file-warnings').textContent(),
    /prov_polling_time_rand_end is not set: the window is the single minute 01:00/,
  );
  assert.deepEqual((await windows(page))[0], ['polling', '2026-06-11T01:00:00+02:00', '2026-06-11T01:00:00+02:00']);
  // Untouched, it downloads as it came.
  const old = await readFile(here('../files/tancredi/old-name.xml'));
  assert.equal(Buffer.compare(await download(page), old), 0);

  // The button gives the form the old element's value: that edit renames the element, and the
  // XML marks the line it changes.
  await page.getByTestId('rename').click();
  assert.equal(await field(page, 'prov_polling_time_rand_end').inputValue(), '04:00');
  assert.deepEqual(await page.locator('[data-testid="xml-output"] mark').allTextContents(), [
    '        <prov_polling_time_rand_end perm="">04:00</prov_polling_time_rand_end>',
  ]);
  assert.deepEqual((await windows(page))[0], ['polling', '2026-06-11T01:00:00+02:00', '2026-06-11T04:00:00+02:00']);
  assert.equal(await page.getByTestId('rename').isVisible(), false);
  await page.waitForFunction(() => !document.querySelector('[data-testid="file-problems"] li'));
  const complete = await readFile(here('../files/tancredi/complete.xml'));
  assert.equal(Buffer.compare(await download(page), complete), 0);
  // Revert brings the file back as it came, old name and all.
  await page.getByTestId('revert').click();
  assert.equal(await xml(page), old.toString('utf8'));
  assert.equal(await page.getByTestId('rename').isVisible(), true);
  clean(page);
  await page.context().close();
});

test('markup a phone rejects is listed on import with line and column, and said beside Download', async () => {
  const page = await fresh();
  await importFile(page, 'malformed-outside-polling.xml');
  const items = page.getByTestId('file-problems').locator('li');
  await items.first().waitFor();
  assert.deepEqual(await items.allTextContents(), [
    'line 3, column 16: an attribute value is not in quotes',
    'line 4, column 20: the attribute perm is given twice in one tag',
    'line 5, column 28: the entity &nbsp; is not defined in XML; a phone rejects the file',
    'line 8, column 45: an attribute is cut short or has no value (a template leftover?)',
    'line 8, column 62: the entity &copy; is not defined in XML; a phone rejects the file',
    'line 8, column 76: an & that begins no entity (write &amp;); a phone rejects the file',
  ]);
  assert.equal(
    await page.getByTestId('file-rejected').textContent(),
    'A phone rejects this file until the problems listed under it are fixed.',
  );
  // A good file afterwards clears them.
  await importFile(page, 'tancredi/complete.xml');
  await page.waitForFunction(() => !document.querySelector('[data-testid="file-problems"] li'));
  assert.equal(await page.getByTestId('file-rejected').textContent(), '');
  clean(page);
  await page.context().close();
});
