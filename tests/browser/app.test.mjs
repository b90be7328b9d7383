import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open } from './harness.mjs';

let server, url, browser;

before(async () => {
  ({ server, url } = await serve());
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the app mounts and shows the schedule in words', async () => {
  const page = await open(browser, url);
  const summary = page.getByTestId('summary');
  await summary.waitFor();
  assert.equal(
    await summary.textContent(),
    'Every day, at a random time between 09:00 and 09:10, phone time, from tomorrow on.',
  );
  assert.deepEqual(page.problems, { console: [], pageErrors: [], foreignRequests: [] });
});
