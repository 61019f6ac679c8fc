import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminCall, ensureConsoleBuilt, launchBrowser, newContext, screenshot, signInWithKey } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('console: IAM and audit pages', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server);
    page = await context.newPage();
    await signInWithKey(page, server.secretKey);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a user, an application, a policy from the permission-set picker, and a key shown once', async () => {
    await page.getByRole('link', { name: 'IAM' }).click();
    await page.locator('summary', { hasText: 'Create user' }).click();
    await page.getByLabel('Email').fill('bob@example.com');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: 'bob@example.com' }).waitFor();

    await page.getByRole('link', { name: 'Applications' }).click();
    await page.locator('summary', { hasText: 'Create application' }).click();
    await page.getByLabel('Name').fill('deployer');
    await page.getByRole('button', { name: 'Create application' }).click();
    await page.getByRole('cell', { name: 'deployer' }).waitFor();

    await page.getByRole('link', { name: 'Policies' }).click();
    await page.locator('summary', { hasText: 'Create policy' }).click();
    await page.getByLabel('Name').fill('deployer-reads');
    await page.getByLabel('Attach to').selectOption({ label: 'application deployer' });
    await page.getByRole('checkbox', { name: /SecretManagerReadOnly/ }).check();
    await page.getByRole('checkbox', { name: /SecretManagerSecretAccess/ }).check();
    await screenshot(page, 'iam-policy-create');
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('cell', { name: 'deployer-reads' }).waitFor();
    const policies = await adminCall<{ policies: { id: string; name: string; application_id?: string }[] }>(server, 'GET', '/iam/v1alpha1/policies');
    const policy = policies.body.policies.find((item) => item.name === 'deployer-reads');
    assert.ok(policy?.application_id);
    const rules = await adminCall<{ rules: { permission_set_names: string[]; project_ids?: string[] }[] }>(server, 'GET', `/iam/v1alpha1/rules?policy_id=${policy.id}`);
    assert.deepEqual(rules.body.rules[0]?.permission_set_names, ['SecretManagerReadOnly', 'SecretManagerSecretAccess']);
    assert.deepEqual(rules.body.rules[0]?.project_ids, [server.projectId]);

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.locator('summary', { hasText: 'Create API key' }).click();
    await page.getByLabel('Owner').selectOption({ label: 'application deployer' });
    await page.getByLabel('Description').fill('ci');
    await page.getByRole('button', { name: 'Create API key' }).click();
    const shown = page.getByTestId('new-secret-key');
    await shown.waitFor();
    await page.getByText('It is shown only this once').waitFor();
    await screenshot(page, 'iam-api-key-once');
    const secretKey = await shown.innerText();
    // The key shown works, with the application's rights: it lists secrets but cannot create one.
    const list = await fetch(`${server.url}/secret-manager/v1beta1/regions/fr-par/secrets`, { headers: { 'x-auth-token': secretKey } });
    assert.equal(list.status, 200);
    const create = await fetch(`${server.url}/secret-manager/v1beta1/regions/fr-par/secrets`, { method: 'POST', headers: { 'x-auth-token': secretKey }, body: JSON.stringify({ name: 'nope' }) });
    assert.equal(create.status, 403);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    assert.equal(await page.getByTestId('new-secret-key').count(), 0, 'the secret is gone once closed');
    await page.getByRole('cell', { name: 'ci' }).waitFor();
    await screenshot(page, 'iam-api-keys');
  });

  it('shows filterable audit events, the chain status and a secret access history', async () => {
    const secret = await adminCall<{ id: string }>(server, 'POST', '/secret-manager/v1beta1/regions/fr-par/secrets', { name: 'audited', path: '/ops' });
    await adminCall(server, 'POST', `/secret-manager/v1beta1/regions/fr-par/secrets/${secret.body.id}/versions`, { data: Buffer.from('x').toString('base64') });
    const read = await adminCall(server, 'GET', `/secret-manager/v1beta1/regions/fr-par/secrets/${secret.body.id}/versions/latest/access`);
    assert.equal(read.status, 200);

    await page.getByRole('link', { name: 'Audit' }).click();
    const status = page.getByTestId('chain-status');
    await status.waitFor();
    assert.match(await status.innerText(), /^Intact: \d+ events/);
    await page.getByLabel('Action').fill('secrets:version:access');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('cell', { name: '/ops/audited' }).first().waitFor();
    const rows = await page.getByRole('row').allInnerTexts();
    assert.ok(rows.slice(1).length >= 1);
    assert.ok(rows.slice(1).every((row) => row.includes('secrets:version:access')), 'only the filtered action is listed');
    await screenshot(page, 'audit');

    await page.goto(`/console/secrets/fr-par/${secret.body.id}`);
    await page.getByRole('tab', { name: 'Access history' }).click();
    await page.getByRole('cell', { name: 'secrets:version:access' }).first().waitFor();
    assert.ok((await page.getByRole('cell', { name: server.accessKey }).count()) >= 1);
  });
});
