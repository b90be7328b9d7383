// A provisioning folder in the page, as an administrator uses it: open the files of a folder,
// read the table, edit some phones, check the plan and the zip's bytes, see the folder's fleet.
// The folder is tests/files/folder: two naming styles, three types, a container, a broken file,
// a phone book and a note.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { start, stop, freshPage, clean, open, NOW, axe } from './harness.mjs';

const FOLDER = fileURLToPath(new URL('../files/folder/', import.meta.url));

let server, url, browser;
before(async () => ({ server, url, browser } = await start()));
after(() => stop({ server, browser }));

/** The page with the fixture folder's files opened (every file, the note and the phone book too). */
async function withFolder(colorScheme = 'light') {
  const page = await freshPage(browser, url, { colorScheme });
  const names = (await readdir(FOLDER)).sort();
  await page.getByTestId('import-files').setInputFiles(names.map((n) => FOLDER + n));
  await page.getByTestId('phone').first().waitFor();
  return page;
}

/** A `DataTransfer` of files ([name, text] pairs) made in the page, to drop on it. */
function dropped(page, list) {
  return page.evaluateHandle((list) => {
    const data = new DataTransfer();
    for (const [name, text] of list) data.items.add(new File([text], name, { type: 'text/xml' }));
    return data;
  }, list);
}

/** The entries of a zip archive of stored files: [name, bytes]. */
function unzip(zip) {
  const entries = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    assert.equal(zip.readUInt16LE(at + 8), 0, 'stored, not compressed');
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const start = at + 30 + nameLength + extra;
    entries.push([name, zip.subarray(start, start + size)]);
    at = start + size;
  }
  return entries;
}

test('a folder of files is tabled: each phone, where each value comes from, groups, problems', async () => {
  const page = await withFolder();
  assert.equal(
    await page.getByTestId('folder-status').textContent(),
    'Read 11 files: 5 phones in 4 groups of alike settings.',
  );
  const macs = await page.getByTestId('phone').evaluateAll((rows) => rows.map((r) => r.dataset.mac));
  assert.deepEqual(macs, ['000413A11FA7', '000413A11FA8', '000413B20001', '000413C30001', '000413C30002']);
  const a8 = page.locator('[data-testid=phone][data-mac="000413A11FA8"]');
  const settings = await a8.locator('.settings').textContent();
  assert.match(settings, /prov_polling_period 172800 snomD785-000413A11FA8\.xml:5/);
  assert.match(settings, /prov_polling_mode random snomD785\.xml:8/);
  assert.match(await a8.textContent(), /Every 2 days, at a random time between 02:00 and 04:00/);
  // The New York phone's next fetch is 03:00 on its own clock.
  assert.match(
    await page.locator('[data-testid=phone][data-mac="000413B20001"]').textContent(),
    /Thu 11 Jun, 03:00 -04:00/,
  );
  assert.equal(await page.getByTestId('group').count(), 5, 'four groups and the unknown');
  assert.equal(
    await page.getByTestId('findings').textContent(),
    '000413C30002.xml:3:3: error: the file ends before this element is closed',
  );
  assert.equal(await page.getByTestId('unread').textContent(), 'phonebook.xmlsnomD120.xml');
  // The filter narrows the rows; the order by type puts the unknown type last.
  await page.locator('[name="folder-filter"]').fill('snomD715');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=phone]').length === 1);
  await page.locator('[name="folder-filter"]').fill('');
  await page.locator('[name="folder-sort"]').selectOption('type');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=phone]')?.dataset.mac === '000413C30001',
  );
  clean(page);
  await page.context().close();
});

test('a bulk edit shows its plan, and the zip holds the planned bytes and nothing else', async () => {
  const page = await withFolder();
  // Group 1 (one phone, A7) by its group checkbox.
  await page.locator('[data-testid=group] input[data-group="0"]').check();
  await page.getByTestId('edit-selected').click();
  await page.getByText('Change what the selected phones (1) should have').waitFor();
  assert.equal(await page.locator('[name="prov_polling_period"]').inputValue(), '86400');
  assert.equal(await page.locator('[name="prov_polling_mode"]').inputValue(), 'random');
  await page.locator('[name="prov_polling_period"]').fill('43200');

  // Where the value comes from: the general file, which A8 reads too but overrides.
  await page.getByTestId('make-plan').click();
  await page.getByTestId('plan-file').first().waitFor();
  assert.deepEqual(
    await page.getByTestId('plan-file').evaluateAll((items) => items.map((i) => i.dataset.file)),
    ['snomD785.xml'],
  );
  assert.match(await page.getByTestId('plan').textContent(), /snomD785\.xml: changes 1 phone- .*86400.*\+ .*43200/);

  // In each phone's own file instead: the zip has that one file, with only the setting added.
  await page.locator('[name="folder-target"]').selectOption('own');
  await page.getByTestId('make-plan').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=plan-file]')?.dataset.file === 'snomD785-000413A11FA7.xml',
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-zip').click(),
  ]);
  assert.equal(download.suggestedFilename(), 'provisioning-changes.zip');
  const entries = unzip(await readFile(await download.path()));
  assert.deepEqual(entries.map(([name]) => name), ['snomD785-000413A11FA7.xml']);
  const before = await readFile(FOLDER + 'snomD785-000413A11FA7.xml', 'utf8');
  assert.equal(
    entries[0][1].toString('utf8'),
    before.replace(
      '<!-- use strong passwords -->\n',
      '<!-- use strong passwords -->\n    <prov_polling_period>43200</prov_polling_period>\n',
    ),
  );
  // The table now shows the folder as it will be, and the status says so.
  await page.getByText('Downloaded provisioning-changes.zip with the 1 changed file,').waitFor();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=phone][data-mac="000413A11FA7"] .settings')?.textContent.includes('43200'),
  );
  clean(page);
  await page.context().close();
});

test("the fleet counts the folder's real mix, each group by its own settings and zone", async () => {
  const page = await withFolder();
  await page.getByTestId('fleet').scrollIntoViewIfNeeded();
  await page.getByTestId('fleet-group').first().waitFor();
  const rows = await page.getByTestId('fleet-group').evaluateAll((rs) =>
    rs.map((r) => [...r.cells].map((c) => c.textContent)),
  );
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.map((r) => r[0]),
    ['1', '1', '1', '1'],
  );
  assert.match(rows[2][1], /Every day at 03:00.*America\/New_York/);
  // All at once (a power cut): the four phones' boots share the first minute.
  assert.equal(await page.getByTestId('fleet-peak').textContent(), '4');
  assert.match(await page.getByTestId('fleet-counted').textContent(), /Left out: 1 phone of the folder, whose settings are unknown or invalid\./);
  assert.match(await page.getByTestId('fleet-time').textContent(), /for 4 phones of the folder/);
  clean(page);
  await page.context().close();
});

test('many files dropped on the page open as a folder; one file still imports as one', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' });
  await context.clock.install({ time: NOW });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  const names = ['snomD785.xml', 'snomD785-000413A11FA7.xml', 'snomD785-000413A11FA8.xml'];
  const files = await Promise.all(names.map(async (n) => [n, await readFile(FOLDER + n, 'utf8')]));
  const drop = (list) => dropped(page, list);
  await page.dispatchEvent('body', 'drop', { dataTransfer: await drop(files) });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=phone]').length === 2);
  assert.equal(
    await page.getByTestId('folder-status').textContent(),
    'Read 3 files: 2 phones in 2 groups of alike settings.',
  );
  assert.match(await page.getByTestId('xml-output').textContent(), /<prov_polling_time>09:00</, 'the single file is untouched');
  // One file dropped is a settings file to edit, as before.
  await page.dispatchEvent('body', 'drop', { dataTransfer: await drop(files.slice(1, 2)) });
  await page.getByText('Imported snomD785-000413A11FA7.xml').waitFor();
  clean(page);
  await context.close();
});

test('a folder dropped while another is still being read replaces it: none of the first joins it', async () => {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  await context.clock.install({ time: NOW });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  // 2,000 files take the page a second or two to hand over (a few milliseconds at a time);
  // the second folder comes before they are all sent.
  const drop = (list) => dropped(page, list);
  const empty = '<settings><phone-settings>\n</phone-settings></settings>\n';
  const many = [['snomD785.xml', empty]];
  for (let i = 0; i < 2000; i++) many.push([`snomD785-000413C${i.toString(16).toUpperCase().padStart(5, '0')}.xml`, empty]);
  const names = ['snomD785.xml', 'snomD785-000413A11FA7.xml', 'snomD785-000413A11FA8.xml'];
  const few = await Promise.all(names.map(async (n) => [n, await readFile(FOLDER + n, 'utf8')]));
  const first = await drop(many);
  const second = await drop(few);
  await page.dispatchEvent('body', 'drop', { dataTransfer: first });
  await page.dispatchEvent('body', 'drop', { dataTransfer: second });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=phone]').length === 2);
  // Long after the first folder's files would all have been sent, the second stands alone.
  await page.waitForTimeout(4000);
  assert.equal(
    await page.getByTestId('folder-status').textContent(),
    'Read 3 files: 2 phones in 2 groups of alike settings.',
  );
  assert.deepEqual(
    await page.getByTestId('phone').evaluateAll((rows) => rows.map((r) => r.dataset.mac)),
    ['000413A11FA7', '000413A11FA8'],
  );
  clean(page);
  await context.close();
});

test('the worker starts as the folder picker opens; a picker cancelled opens nothing and says so', async () => {
  const page = await freshPage(browser, url);
  await page.evaluate(() => {
    window.__workers = 0;
    window.Worker = class extends window.Worker {
      constructor(...args) {
        super(...args);
        window.__workers++;
      }
    };
    window.showDirectoryPicker = () => new Promise((_, reject) => (window.__cancel = () => reject(new DOMException('The user aborted a request.', 'AbortError'))));
  });
  await page.getByTestId('folder').getByRole('button', { name: 'Open a folder…' }).click();
  // While the user still picks, the worker's module loads and compiles.
  await page.waitForFunction(() => window.__cancel);
  assert.equal(await page.evaluate(() => window.__workers), 1);
  await page.evaluate(() => window.__cancel());
  await page.waitForFunction(() => document.querySelector('[data-testid=folder-status]').textContent !== '');
  assert.equal(await page.getByTestId('folder-status').textContent(), 'No folder was opened.');
  assert.equal(await page.getByTestId('phone').count(), 0);
  clean(page);
  await page.context().close();
});

test('a folder opened with the File System Access API is written back where it lies, after a yes', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Berlin' });
  await context.clock.install({ time: NOW });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  // The browser's own private folder (OPFS) stands in for the folder the user would pick.
  const names = (await readdir(FOLDER)).sort();
  const files = await Promise.all(names.map(async (n) => [n, (await readFile(FOLDER + n)).toString('base64')]));
  await page.evaluate(async (files) => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('snom', { create: true });
    for (const [name, b64] of files) {
      const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
      await writable.write(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
      await writable.close();
    }
    window.showDirectoryPicker = async () => dir;
  }, files);
  await page.getByTestId('folder').getByRole('button', { name: 'Open a folder…' }).click();
  await page.getByTestId('phone').first().waitFor();
  assert.match(await page.getByTestId('folder-status').textContent(), /^Read 11 files: 5 phones in 4 groups/);
  await page.locator('[data-testid=phone][data-mac="000413A11FA8"] input').check();
  await page.getByTestId('edit-selected').click();
  await page.getByText('Change what the selected phones (1) should have').waitFor();
  await page.locator('[name="prov_polling_period"]').fill('259200');
  await page.getByTestId('make-plan').click();
  await page.getByTestId('write-back').waitFor();
  // A no leaves every file as it was; a yes writes the one planned file.
  page.once('dialog', (d) => d.dismiss());
  await page.getByTestId('write-back').click();
  const read = () =>
    page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('snom');
      const out = {};
      for await (const [name, handle] of dir.entries()) out[name] = await (await handle.getFile()).text();
      return out;
    });
  const original = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(FOLDER + n, 'utf8')])));
  assert.deepEqual(await read(), original);
  page.once('dialog', (d) => d.accept());
  await page.getByTestId('write-back').click();
  await page.getByText('Wrote 1 file into the folder.').waitFor();
  const after = await read();
  assert.deepEqual(
    after,
    { ...original, 'snomD785-000413A11FA8.xml': original['snomD785-000413A11FA8.xml'].replace('>172800<', '>259200<') },
  );
  clean(page);
  await context.close();
});

test('a folder of 150 files in two folders, opened with the File System Access API, is read whole and in order', async () => {
  const context = await browser.newContext({ timezoneId: 'Europe/Berlin' });
  const page = await open(context, url);
  await page.getByTestId('fetch').first().waitFor();
  // The worker reads such a folder 64 files at a time: 150 files are two batches and a part,
  // the last of them in a folder of their own, with a file no phone reads among them.
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('many', { create: true });
    const sub = await dir.getDirectoryHandle('more', { create: true });
    const write = async (folder, name, text) => {
      const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
      await writable.write(text);
      await writable.close();
    };
    await write(dir, 'snomD785.xml', '<settings><phone-settings>\n<prov_polling_enabled>on</prov_polling_enabled>\n</phone-settings></settings>\n');
    await write(dir, 'notes.txt', 'not a settings file');
    for (let i = 0; i < 149; i++) {
      const mac = `000413B${i.toString(16).toUpperCase().padStart(5, '0')}`;
      await write(i < 100 ? dir : sub, `snomD785-${mac}.xml`, '<settings><phone-settings>\n</phone-settings></settings>\n');
    }
    window.showDirectoryPicker = async () => dir;
  });
  await page.getByTestId('folder').getByRole('button', { name: 'Open a folder…' }).click();
  await page.getByTestId('phone').first().waitFor();
  assert.match(await page.getByTestId('folder-status').textContent(), /^Read 150 files: 149 phones/);
  for (const mac of ['000413B00000', '000413B0003F', '000413B00040', '000413B00094']) {
    await page.locator(`[data-testid=phone][data-mac="${mac}"]`).waitFor();
  }
  assert.equal(await page.getByTestId('phone').count(), 149);
  clean(page);
  await context.close();
});

test('axe finds no WCAG 2 A or AA violations with a folder open and a plan shown, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await withFolder(colorScheme);
    await page.locator('[data-testid=group] input[data-group="1"]').check();
    await page.getByTestId('edit-selected').click();
    // The form takes the phones' settings when the worker answers: only then is it edited.
    await page.getByText('Change what the selected phones (1) should have').waitFor();
    await page.locator('[name="prov_polling_period"]').fill('259200');
    await page.getByTestId('make-plan').click();
    await page.getByTestId('plan-file').first().waitFor();
    await page.getByTestId('fleet').scrollIntoViewIfNeeded();
    await page.getByTestId('fleet-group').first().waitFor();
    const { violations } = await axe(page);
    assert.deepEqual(violations, [], colorScheme);
    clean(page);
    await page.context().close();
  }
});
