/**
 * The /docs page in a real browser: Swagger UI loads the contract from the instance serving it,
 * "Authorize" takes an API key, and "Try it out" → "Execute" on GET /v1/partners shows a 200.
 * The system's Chromium (`apt-get install chromium`, done by .ci/run); without it the test skips.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Page } from 'puppeteer-core';
import t from 'tap';
import { ADMIN_KEY, startTestApp } from '../helpers/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const STEP_TIMEOUT_MS = 60_000;

const installed = await access(CHROMIUM).then(
  () => true,
  () => false,
);
const missing = installed ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
if (missing) console.error(`docs-browser.test.ts skipped: ${missing}`);

t.test('/docs runs an operation with "Try it out" in Chromium', { skip: missing }, async (t) => {
  const { app } = await startTestApp(t);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };

  const profile = await mkdtemp(path.join(tmpdir(), 'jahiz-chromium-'));
  t.teardown(() => rm(profile, { recursive: true, force: true }));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // Exactly these flags: headless, no network of the browser's own, a fresh profile.
    ignoreDefaultArgs: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
    ],
    timeout: STEP_TIMEOUT_MS,
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const blocked: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') blocked.push(message.text());
  });

  await page.goto(`http://127.0.0.1:${port}/docs`, { waitUntil: 'networkidle0' });
  await authorize(page, ADMIN_KEY);

  const operation = '#operations-partners-listPartners';
  await page.click(`${operation} .opblock-summary-control`);
  await page.click(`${operation} .try-out__btn`);
  await page.click(`${operation} .btn.execute`);
  const status = await page.waitForSelector(
    `${operation} .live-responses-table .response .response-col_status`,
  );
  t.equal(
    (await status?.evaluate((cell) => cell.textContent))?.trim(),
    '200',
    `the page shows the 200 (browser errors: ${blocked.join(' | ') || 'none'})`,
  );
  const body = await page.$eval(
    `${operation} .live-responses-table .response-col_description pre`,
    (pre) => pre.textContent ?? '',
  );
  t.match(body, /"code": "FENIP"/, 'with the partners in the body');
});

/** Enters the key in the "Authorize" dialog, as a newcomer would. */
async function authorize(page: Page, key: string) {
  await page.click('.auth-wrapper .btn.authorize');
  await page.type('.auth-container input', key);
  await page.click('.auth-btn-wrapper .btn.modal-btn.auth.authorize');
  await page.click('.auth-btn-wrapper .btn-done');
}
