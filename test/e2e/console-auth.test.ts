import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminCall, ensureConsoleBuilt, launchBrowser, newContext, screenshot, signInWithKey, signInWithPassword } from '../helpers/browser.js';
import { startServer, type TestServer } from '../helpers/server.js';

const EMAIL = 'alice@example.com';
const PASSWORD = 'a long and correct passphrase';

describe('console: sign-in, sessions, CSRF and CSP', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ensureConsoleBuilt();
    server = await startServer();
    browser = await launchBrowser();
    const created = await adminCall(server, 'POST', '/iam/v1alpha1/users', { member: { email: EMAIL, password: PASSWORD } });
    assert.equal(created.status, 200);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the console with a CSP that forbids inline script, on the page and its assets', async () => {
    const page = await fetch(`${server.url}/console/secrets`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    const html = await page.text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in index.html');
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset);
    const script = await fetch(`${server.url}${asset}`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.ok(script.headers.get('content-security-policy'));
    assert.equal((await fetch(`${server.url}/console/assets/missing.js`)).status, 404);
  });

  it('signs in with email and password into an httpOnly, SameSite=Strict session, and signs out on the server', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await page.goto('/console/');
    await screenshot(page, 'sign-in');
    await signInWithPassword(page, EMAIL, 'not the password');
    await page.getByRole('alert').filter({ hasText: 'Sign-in refused' }).waitFor();

    await signInWithPassword(page, EMAIL, PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.equal(await page.getByText(EMAIL).count(), 1);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'coffer_session');
    assert.ok(session);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(await page.evaluate("document.cookie.includes('coffer_session')"), false, 'the script cannot read the session cookie');

    // The cookie authenticates any API as the user's own key: the user has no policy, so no audit trail.
    const denied = await page.evaluate(async () => (await fetch('/coffer/v1/audit/verify')).status);
    assert.equal(denied, 403);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Coffer' }).waitFor();
    // The session ended on the server: replaying the old cookie opens nothing.
    const replay = await fetch(`${server.url}/secret-manager/v1beta1/regions/fr-par/secrets`, { headers: { cookie: `coffer_session=${session.value}` } });
    assert.equal(replay.status, 401);
    // And the key the session acted with is gone with it.
    const keys = await adminCall<{ api_keys: { description: string }[] }>(server, 'GET', '/iam/v1alpha1/api-keys');
    assert.equal(keys.body.api_keys.filter((key) => key.description.startsWith('console session')).length, 0);
    await context.close();
  });

  it('signs in with an API key, and refuses changes without the CSRF token', async () => {
    const context = await newContext(browser, server);
    const page = await context.newPage();
    await signInWithKey(page, server.secretKey);
    const withoutToken = await page.evaluate(async () => {
      const response = await fetch('/secret-manager/v1beta1/regions/fr-par/secrets', { method: 'POST', body: JSON.stringify({ name: 'csrf-probe' }) });
      return { status: response.status, body: await response.text() };
    });
    assert.equal(withoutToken.status, 403);
    assert.match(withoutToken.body, /csrf/);
    const csrf = (await context.cookies()).find((item) => item.name === 'coffer_csrf')?.value ?? '';
    assert.notEqual(csrf, '');
    const withToken = await page.evaluate(async (token) => {
      const response = await fetch('/secret-manager/v1beta1/regions/fr-par/secrets', { method: 'POST', headers: { 'x-csrf-token': token }, body: JSON.stringify({ name: 'csrf-probe' }) });
      return response.status;
    }, csrf);
    assert.equal(withToken, 200);
    // The same token from a Vault client's point of view: its API honours the session too.
    const vault = await page.evaluate(async () => (await fetch('/v1/secret/data/probe', { method: 'POST', body: JSON.stringify({ data: { a: 'b' } }) })).status);
    assert.equal(vault, 403);

    const cookie = (await context.cookies()).find((item) => item.name === 'coffer_session');
    assert.ok(cookie);
    // The store holds neither the session token nor the API key it stands for.
    const files = readdirSync(server.dataDir).filter((name) => name.endsWith('.db') || name.endsWith('-wal'));
    for (const file of files) {
      const bytes = readFileSync(join(server.dataDir, file));
      assert.equal(bytes.includes(Buffer.from(cookie.value)), false, `${file} holds the session token`);
      assert.equal(bytes.includes(Buffer.from(server.secretKey)), false, `${file} holds the API secret key`);
    }
    await context.close();
  });

  it('refuses a sign-in sent from another site, and ignores an ended session on /health', async () => {
    const crossSite = await fetch(`${server.url}/coffer/v1/session`, {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
      body: JSON.stringify({ secret_key: server.secretKey }),
    });
    assert.equal(crossSite.status, 403);
    assert.equal(crossSite.headers.getSetCookie().length, 0);
    const health = await fetch(`${server.url}/health`, { headers: { cookie: 'coffer_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    assert.equal(health.status, 200);
  });

  it('ends an idle session', async () => {
    const idle = await startServer({ env: { COFFER_CONSOLE_IDLE_MINUTES: '0.02' } });
    try {
      const opened = await fetch(`${idle.url}/coffer/v1/session`, { method: 'POST', body: JSON.stringify({ secret_key: idle.secretKey }) });
      assert.equal(opened.status, 201);
      const token = /coffer_session=([^;]+)/.exec(opened.headers.getSetCookie().join('\n'))?.[1];
      assert.ok(token);
      const list = (): Promise<Response> => fetch(`${idle.url}/secret-manager/v1beta1/regions/fr-par/secrets`, { headers: { cookie: `coffer_session=${token}` } });
      assert.equal((await list()).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const ended = await list();
      assert.equal(ended.status, 401);
      assert.match(await ended.text(), /expired/);
    } finally {
      await idle.stop();
    }
  });
});
