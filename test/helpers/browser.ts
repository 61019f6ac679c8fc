import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT_DIR, type TestServer } from './server.js';

/** Debian's Chromium, installed by scripts/ensure-test-tools.sh; a browser is never downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go: docs/screenshots when COFFER_SCREENSHOTS=1, else a folder nobody commits. */
const SCREENSHOT_DIR = process.env.COFFER_SCREENSHOTS === '1' ? join(ROOT_DIR, 'docs', 'screenshots') : join(ROOT_DIR, 'node_modules', '.cache', 'console-screenshots');

/** The server serves web/dist; tests running from a fresh checkout build it once. */
export const ensureConsoleBuilt = (): void => {
  if (existsSync(join(ROOT_DIR, 'web', 'dist', 'index.html'))) {
    return;
  }
  const result = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT_DIR, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('npm run build:web failed');
  }
};

export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure-test-tools.sh (apt-get install chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root Chromium needs --no-sandbox; the rest keeps it off a network it cannot reach.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
};

export const newContext = async (browser: Browser, server: TestServer, width = 1280): Promise<BrowserContext> => {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width, height: width < 600 ? 800 : 860 }, locale: 'en-GB', timezoneId: 'UTC' });
  // A missing element fails the test within seconds rather than at the runner's timeout.
  context.setDefaultTimeout(10_000);
  return context;
};

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
};

export const signInWithKey = async (page: Page, secretKey: string): Promise<void> => {
  await page.goto('/console/');
  await page.getByRole('tab', { name: 'API key' }).click();
  await page.getByLabel('API secret key').fill(secretKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
};

export const signInWithPassword = async (page: Page, email: string, password: string): Promise<void> => {
  await page.goto('/console/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
};

/** Seeds through the HTTP API with the server's admin key. */
export const adminCall = async <T>(server: TestServer, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'x-auth-token': server.secretKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
};
