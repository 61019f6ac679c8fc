import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminCall, ensureConsoleBuilt, launchBrowser, newContext, screenshot, signInWithKey } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A real certificate and its key, made by Debian's openssl, as the server parses X.509. */
const makeCertificate = (): { certificate: string; key: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-cert-'));
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30', '-subj', '/CN=console.example.com',
    '-addext', 'subjectAltName=DNS:console.example.com', '-keyout', join(dir, 'site.key'), '-out', join(dir, 'site.pem')]);
  assert.equal(result.status, 0, result.stderr.toString());
  const made = { certificate: readFileSync(join(dir, 'site.pem'), 'utf8'), key: readFileSync(join(dir, 'site.key'), 'utf8') };
  rmSync(dir, { recursive: true, force: true });
  return made;
};
const { certificate: CERTIFICATE, key: CERTIFICATE_KEY } = makeCertificate();

interface Secret {
  id: string;
  name: string;
  path: string;
  type: string;
  version_count: number;
  deletion_requested_at: string | null;
}

/** Fills the create form for one type; returns the payload the server must then hold. */
const FORMS: Record<string, { fill: (page: Page) => Promise<void>; expected: unknown }> = {
  key_value: {
    fill: async (page) => {
      await page.getByLabel('Key 1').fill('user');
      await page.getByLabel('Value 1').fill('app');
      await page.getByRole('button', { name: 'Add pair' }).click();
      await page.getByLabel('Key 2').fill('password');
      await page.getByLabel('Value 2').fill('s3cr3t');
    },
    expected: { user: 'app', password: 's3cr3t' },
  },
  opaque: { fill: (page) => page.getByLabel('Text', { exact: true }).fill('just some text'), expected: 'just some text' },
  basic_credentials: {
    fill: async (page) => {
      await page.getByLabel('Username').fill('mailer');
      await page.getByLabel('Password', { exact: true }).fill('hunter2');
    },
    expected: { username: 'mailer', password: 'hunter2' },
  },
  database_credentials: {
    fill: async (page) => {
      await page.getByLabel('Engine').selectOption('mysql');
      await page.getByLabel('Host').fill('db.internal');
      await page.getByLabel('Port').fill('3306');
      await page.getByLabel('Database name').fill('shop');
      await page.getByLabel('Username').fill('shop');
      await page.getByLabel('Password', { exact: true }).fill('pw');
    },
    expected: { engine: 'mysql', host: 'db.internal', port: '3306', dbname: 'shop', username: 'shop', password: 'pw' },
  },
  ssh_key: { fill: (page) => page.getByLabel('SSH private key').fill('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----'), expected: { ssh_private_key: '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----' } },
  api_key: {
    fill: async (page) => {
      await page.getByLabel('API key value').fill('k-123');
      await page.getByLabel(/^Header name/).fill('X-API-Key');
    },
    expected: { value: 'k-123', header_name: 'X-API-Key' },
  },
  bearer_token: { fill: (page) => page.getByLabel('Token', { exact: true }).fill('eyJ.token'), expected: { header_value: 'eyJ.token' } },
  client_credentials: {
    fill: async (page) => {
      await page.getByLabel('Client ID').fill('svc');
      await page.getByLabel('Client secret').fill('shh');
      await page.getByLabel(/^Scopes/).fill('read:secrets write:secrets');
    },
    expected: { client_id: 'svc', client_secret: 'shh', scopes: ['read:secrets', 'write:secrets'] },
  },
  certificate: {
    fill: async (page) => {
      await page.getByLabel('Or drop the certificate file (.pem, .crt)').setInputFiles({ name: 'site.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(CERTIFICATE) });
      await page.getByLabel('Private key (optional .key file)').setInputFiles({ name: 'site.key', mimeType: 'application/x-pem-file', buffer: Buffer.from(CERTIFICATE_KEY) });
    },
    expected: `${CERTIFICATE.trim()}\n${CERTIFICATE_KEY.trim()}`,
  },
};

describe('console: secrets through the forms', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const api = (path: string) => `/secret-manager/v1beta1/regions/fr-par${path}`;
  const latestPayload = async (id: string): Promise<string> => {
    const { body } = await adminCall<{ data: string }>(server, 'GET', api(`/secrets/${id}/versions/latest/access`));
    return Buffer.from(body.data, 'base64').toString('utf8');
  };
  const byName = async (name: string): Promise<Secret> => {
    const { body } = await adminCall<{ secrets: Secret[] }>(server, 'GET', api(`/secrets?name=${name}`));
    const secret = body.secrets.find((item) => item.name === name);
    assert.ok(secret, `${name} exists`);
    return secret;
  };

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    page = await context.newPage();
    await signInWithKey(page, server.secretKey);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const [type, form] of Object.entries(FORMS)) {
    it(`creates a ${type} secret with its typed form`, async () => {
      await page.goto('/console/secrets/new');
      await page.getByLabel('Path and name').fill(`prod/${type}/item-${type}`);
      await page.getByLabel('Type').selectOption(type);
      await form.fill(page);
      await page.getByLabel('Tags (comma-separated)').fill('team-a');
      if (type === 'key_value') {
        await screenshot(page, 'create-secret');
      }
      await page.getByRole('button', { name: 'Create secret' }).click();
      await page.getByRole('heading', { name: `item-${type}` }).waitFor();
      const secret = await byName(`item-${type}`);
      assert.equal(secret.type, type);
      assert.equal(secret.path, `/prod/${type}`);
      assert.equal(secret.version_count, 1);
      const payload = await latestPayload(secret.id);
      assert.deepEqual(typeof form.expected === 'string' ? payload.trim() : JSON.parse(payload), form.expected);
      if (type === 'certificate') {
        const details = page.getByTestId('certificate-details');
        await details.waitFor();
        assert.match(await details.innerText(), /CN=console\.example\.com[\s\S]*DNS:console\.example\.com/);
        await screenshot(page, 'secret-certificate');
      }
    });
  }

  it('lists secrets with filters and the path tree', async () => {
    await page.goto('/console/');
    await page.getByRole('link', { name: 'item-opaque' }).waitFor();
    assert.equal(await page.getByRole('row').count(), 1 + Object.keys(FORMS).length);
    await screenshot(page, 'secrets-list');
    await page.getByLabel('Type').selectOption('ssh_key');
    await page.getByRole('link', { name: 'item-ssh_key' }).waitFor();
    assert.equal(await page.getByRole('row').count(), 2);
    await page.getByLabel('Type').selectOption('');
    await page.getByRole('navigation', { name: 'Secret folders' }).getByRole('button', { name: 'prod' }).click();
    await page.getByRole('navigation', { name: 'Secret folders' }).getByRole('button', { name: 'basic_credentials' }).click();
    await page.getByRole('link', { name: 'item-basic_credentials' }).waitFor();
    assert.equal(await page.getByRole('row').count(), 2);
  });

  it('displays the value masked, then revealed, and copies it', async () => {
    const secret = await byName('item-basic_credentials');
    await page.goto(`/console/secrets/fr-par/${secret.id}`);
    await page.getByRole('button', { name: 'Display the value' }).click();
    const value = page.getByTestId('secret-value');
    await value.waitFor();
    assert.doesNotMatch(await value.innerText(), /hunter2/);
    await page.getByRole('button', { name: 'Reveal' }).click();
    assert.match(await value.innerText(), /"password": "hunter2"/);
    await screenshot(page, 'secret-value-panel');
    await page.getByRole('button', { name: 'Copy value' }).click();
    assert.match(String(await page.evaluate('navigator.clipboard.readText()')), /hunter2/);
    await page.getByRole('button', { name: 'Close the value panel' }).click();
  });

  it('adds a version by editing, then disables and re-enables it with confirmation', async () => {
    const secret = await byName('item-key_value');
    await page.goto(`/console/secrets/fr-par/${secret.id}`);
    await page.getByRole('button', { name: 'Edit (new version)' }).click();
    await page.getByLabel('Value 2').fill('rotated');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByRole('tab', { name: 'Versions (2)' }).click();
    assert.deepEqual(JSON.parse(await latestPayload(secret.id)), { user: 'app', password: 'rotated' });

    await page.getByRole('button', { name: 'Disable version 2' }).click();
    await page.getByRole('dialog', { name: 'Disable version 2?' }).getByRole('button', { name: 'Disable version 2' }).click();
    await page.getByRole('button', { name: 'Enable version 2' }).waitFor();
    const disabled = await adminCall<{ status: string }>(server, 'GET', api(`/secrets/${secret.id}/versions/2`));
    assert.equal(disabled.body.status, 'disabled');
    await screenshot(page, 'secret-versions');
    // A disabled version shows no value.
    await page.getByRole('button', { name: 'Display the value' }).click();
    await page.getByLabel('Version', { exact: true }).selectOption('2');
    await page.getByText('Version 2 is disabled: it has no value to show').waitFor();
    await page.getByRole('button', { name: 'Close the value panel' }).click();

    await page.getByRole('button', { name: 'Enable version 2' }).click();
    await page.getByRole('dialog', { name: 'Enable version 2?' }).getByRole('button', { name: 'Enable version 2' }).click();
    await page.getByRole('button', { name: 'Disable version 2' }).waitFor();
    const enabled = await adminCall<{ status: string }>(server, 'GET', api(`/secrets/${secret.id}/versions/2`));
    assert.equal(enabled.body.status, 'enabled');
  });

  it('explains a conflict instead of overwriting a version written meanwhile', async () => {
    const secret = await byName('item-opaque');
    await page.goto(`/console/secrets/fr-par/${secret.id}`);
    await page.getByRole('button', { name: 'Edit (new version)' }).click();
    await page.getByLabel('Text', { exact: true }).fill('my edit');
    // Someone else writes version 2 while the editor is open.
    const other = await adminCall(server, 'POST', api(`/secrets/${secret.id}/versions`), { data: Buffer.from('their edit').toString('base64') });
    assert.equal(other.status, 200);
    await page.getByRole('button', { name: 'Save as new version' }).click();
    const conflict = page.getByTestId('cas-conflict');
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /You started from version 1, but version 2 has been added since/);
    await screenshot(page, 'secret-cas-conflict');
    assert.equal(await latestPayload(secret.id), 'their edit');
    const { body } = await adminCall<{ total_count: number }>(server, 'GET', api(`/secrets/${secret.id}/versions`));
    assert.equal(body.total_count, 2);
  });

  it('deletes a secret after its name is typed, then restores it', async () => {
    const secret = await byName('item-ssh_key');
    await page.goto(`/console/secrets/fr-par/${secret.id}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete item-ssh_key?' });
    await dialog.getByLabel('Type item-ssh_key to confirm').fill('wrong-name');
    await dialog.getByRole('button', { name: 'Delete secret' }).click();
    assert.equal((await byName('item-ssh_key')).deletion_requested_at, null, 'a wrong name deletes nothing');
    await dialog.getByLabel('Type item-ssh_key to confirm').fill('item-ssh_key');
    await dialog.getByRole('button', { name: 'Delete secret' }).click();
    await page.getByRole('button', { name: 'Restore' }).waitFor();
    await page.getByText(/until then it can be restored/).waitFor();
    const deleted = await adminCall<Secret>(server, 'GET', api(`/secrets/${secret.id}`));
    assert.notEqual(deleted.body.deletion_requested_at, null);
    await screenshot(page, 'secret-pending-deletion');
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    const restored = await adminCall<Secret>(server, 'GET', api(`/secrets/${secret.id}`));
    assert.equal(restored.body.deletion_requested_at, null);
  });

  it('deactivates a secret, which then serves no value through the API, and reactivates it', async () => {
    const secret = await byName('item-opaque');
    const value = await latestPayload(secret.id);
    await page.goto(`/console/secrets/fr-par/${secret.id}`);
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText(/This secret is deactivated/).waitFor();
    const refused = await adminCall<{ precondition: string }>(server, 'GET', api(`/secrets/${secret.id}/versions/latest/access`));
    assert.equal(refused.body.precondition, 'secret_disabled');
    await page.getByRole('button', { name: 'Reactivate' }).click();
    await page.getByRole('button', { name: 'Deactivate' }).waitFor();
    assert.equal(await latestPayload(secret.id), value, 'readable again, unchanged');
  });
});
