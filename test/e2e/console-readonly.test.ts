import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminCall, ensureConsoleBuilt, launchBrowser, newContext, screenshot, signInWithPassword } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

const EMAIL = 'reader@example.com';
const PASSWORD = 'reads but never writes';

describe('console: a read-only user', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secretId = '';
  const api = '/secret-manager/v1beta1/regions/fr-par';

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    const user = await adminCall<{ id: string }>(server, 'POST', '/iam/v1alpha1/users', { member: { email: EMAIL, password: PASSWORD } });
    const policy = await adminCall(server, 'POST', '/iam/v1alpha1/policies', {
      name: 'readers',
      user_id: user.body.id,
      rules: [{ permission_set_names: ['SecretManagerReadOnly', 'SecretManagerSecretAccess'], project_ids: [server.projectId] }],
    });
    assert.equal(policy.status, 200);
    const secret = await adminCall<{ id: string }>(server, 'POST', `${api}/secrets`, { name: 'shared-db', path: '/prod', type: 'basic_credentials' });
    secretId = secret.body.id;
    const version = await adminCall(server, 'POST', `${api}/secrets/${secretId}/versions`, { data: Buffer.from(JSON.stringify({ username: 'u', password: 'p4ss' })).toString('base64') });
    assert.equal(version.status, 200);
    browser = await launchBrowser();
    context = await newContext(browser, server, 375);
    page = await context.newPage();
    await signInWithPassword(page, EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sees the secrets but no create, edit or delete control, on a 375 px screen', async () => {
    await page.getByRole('link', { name: 'shared-db' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Create secret' }).count(), 0);
    await screenshot(page, 'mobile-secrets-list');
    await page.getByRole('link', { name: 'shared-db' }).click();
    await page.getByRole('heading', { name: 'shared-db' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Display the value' }).count(), 1, 'reading the value is granted');
    for (const name of ['Edit (new version)', 'Delete', 'Protect', 'Restore']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, `${name} is hidden`);
    }
    await page.getByRole('tab', { name: /Versions/ }).click();
    await page.getByRole('button', { name: 'Display version 1' }).waitFor();
    for (const name of ['Disable version 1', 'Delete version 1']) {
      assert.equal(await page.getByRole('button', { name }).count(), 0, `${name} is hidden`);
    }
    await page.getByRole('button', { name: 'Display version 1' }).click();
    await page.getByRole('button', { name: 'Reveal' }).click();
    assert.match(await page.getByTestId('secret-value').innerText(), /p4ss/);
    await screenshot(page, 'mobile-secret-value');
  });

  it('is told why when it opens the create page or calls the API anyway', async () => {
    await page.goto('/console/secrets/new');
    await page.getByText('Your policies do not allow creating secrets').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create secret' }).count(), 0);

    const csrf = (await context.cookies()).find((cookie) => cookie.name === 'coffer_csrf')?.value ?? '';
    const attempt = await page.evaluate(
      async ({ url, token }) => {
        const response = await fetch(url, { method: 'DELETE', headers: { 'x-csrf-token': token } });
        return { status: response.status, body: (await response.json()) as { message: string; type: string } };
      },
      { url: `${api}/secrets/${secretId}`, token: csrf },
    );
    assert.equal(attempt.status, 403);
    assert.equal(attempt.body.type, 'permissions_denied');
    assert.equal(attempt.body.message, 'insufficient permissions');
    const still = await adminCall<{ deletion_requested_at: string | null }>(server, 'GET', `${api}/secrets/${secretId}`);
    assert.equal(still.body.deletion_requested_at, null);

    // A screen whose API refuses the user says so in words.
    await page.goto('/console/iam/users');
    await page.getByRole('alert').filter({ hasText: 'You are not allowed to do this (403' }).waitFor();
    await screenshot(page, 'mobile-permission-denied');
  });
});
