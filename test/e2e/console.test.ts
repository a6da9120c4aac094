import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { startFastStack } from '../support/fast-stack.js';

/**
 * The web console in a real headless browser (Debian's chromium driven by playwright-core)
 * against the local stack: sign in with the API key, create a cluster through the wizard and
 * watch it reach running, then delete it. With ASKP_SCREENSHOTS_DIR set, the pages are saved
 * there (docs/ holds the ones the README shows).
 */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!existsSync(CHROMIUM))
  console.warn(`console e2e skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!existsSync(CHROMIUM))('web console in headless chromium', () => {
  let dataDir: string;
  let profileDir: string;
  let stack: LocalStack;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const shots = process.env.ASKP_SCREENSHOTS_DIR;

  const shoot = async (name: string) => {
    if (!shots) return;
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, name), fullPage: true });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'askp-e2e-console-'));
    profileDir = await mkdtemp(join(tmpdir(), 'askp-chromium-'));
    stack = await startFastStack(dataDir, { createSeconds: 8 });
    // A new, empty profile each run; playwright adds the pipe it drives chromium through.
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1200, height: 800 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused request logs "Failed to load resource" (the wrong key's 401 is one): expected.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        problems.push(`console: ${message.text()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
  });

  it('serves the console under a strict Content-Security-Policy', async () => {
    const response = await fetch(`${stack.apiUrl}/ui`);
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${stack.apiUrl}/ui/../api-key`)).status).toBe(404);
    expect((await fetch(`${stack.apiUrl}/ui/secrets.txt`)).status).toBe(404);
  });

  it('refuses a wrong key and signs in with the right one, keeping it in the session only', async () => {
    await page.goto(`${stack.apiUrl}/ui`);
    await page.waitForSelector('#signin');
    await page.fill('#api-key', 'askp_nope_wrong');
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#signin-error:has-text("not valid")');
    await shoot('console-signin.png');
    await page.fill('#api-key', stack.apiKey);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('h1:has-text("Clusters")');
    // Evaluated in the page, where the DOM globals exist (this file is typed for Node).
    const stored = await page.evaluate(
      '({ session: sessionStorage.getItem("askp.apiKey"), local: localStorage.length, cookies: document.cookie })',
    );
    expect(stored).toEqual({ session: stack.apiKey, local: 0, cookies: '' });
  });

  it('creates a cluster through the wizard and shows its stages until it runs', async () => {
    await page.click('a:has-text("Create cluster")');
    await page.waitForSelector('#wizard #name');
    await page.fill('#name', 'browser-demo');
    await page.fill('#ttl', '8h');
    await page.click('#next'); // → network
    await page.waitForSelector('#network-auto');
    await page.click('#next'); // → API server access
    await page.check('#public');
    await page.click('#next'); // → components
    await page.check('input[data-addon="metrics-server"]');
    await page.click('#next'); // → price and checks (preflight)
    await page.waitForSelector('#findings');
    await page.waitForSelector('#price');
    expect(await page.locator('#findings tr').count()).toBeGreaterThan(0);
    await shoot('console-create.png');
    await page.click('#create');
    await page.waitForURL(/#\/clusters\/prv_/);
    await page.waitForSelector('#progress-text');
    await page.waitForSelector('#stages li', { timeout: 30_000 });
    await shoot('console-progress.png');
    await page.waitForSelector('h1 .badge.running', { timeout: 60_000 });
    const stages = await page.locator('#stages li').allTextContents();
    expect(stages).toEqual([
      'CreateNetwork — succeeded',
      'CreateControlPlane — succeeded',
      'InstallAddons — succeeded',
    ]);
    expect(await page.locator('#events').textContent()).toContain('ack.running');
    await shoot('console-cluster.png');
    await page.click('a:has-text("Clusters")');
    await page.waitForSelector('#clusters td:has-text("browser-demo")');
    const row = await page.locator('#clusters tbody tr').first().textContent();
    expect(row).toContain('running');
    expect(row).toContain('cn-hangzhou');
    expect(row).toMatch(/7h \d+m/);
    await shoot('console-list.png');
  }, 120_000);

  it('edits labels and deletion protection, which then blocks the delete until lifted', async () => {
    await page.click('#clusters a:has-text("browser-demo")');
    await page.waitForSelector('#labels');
    await page.fill('#labels', 'team=data\nenv=demo');
    await page.check('#protection');
    await page.click('#save-settings');
    await page.waitForSelector('#settings-note:has-text("Saved")');
    const id = page.url().split('/').at(-1) ?? '';
    const cluster = (await (
      await fetch(`${stack.apiUrl}/v1/clusters/${id}`, {
        headers: { authorization: `Bearer ${stack.apiKey}` },
      })
    ).json()) as { labels: Record<string, string>; deletionProtection: boolean };
    expect(cluster.labels).toEqual({ team: 'data', env: 'demo' });
    expect(cluster.deletionProtection).toBe(true);

    page.once('dialog', (dialog) => {
      dialog.accept().catch(() => undefined);
    });
    await page.click('#delete');
    await page.waitForSelector('#page-error:has-text("protect")');
    await page.uncheck('#protection');
    await page.click('#save-settings');
    await page.waitForSelector('#settings-note:has-text("Saved")');
    page.once('dialog', (dialog) => {
      dialog.accept().catch(() => undefined);
    });
    await page.click('#delete');
    await page.waitForSelector('h1 .badge.deleting, h1 .badge.deleted', { timeout: 30_000 });
    await page.waitForSelector('h1 .badge.deleted', { timeout: 60_000 });
  }, 120_000);

  it('shows the webhook delivery log and the janitor runs to an admin', async () => {
    await page.click('nav a:has-text("Webhook deliveries")');
    await page.waitForSelector('#deliveries');
    await page.click('nav a:has-text("Janitor")');
    await page.waitForSelector('#janitor-runs');
    expect(problems).toEqual([]);
  });
});
