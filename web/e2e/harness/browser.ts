// Debian's chromium driven by playwright-core: headless, with the flags CI needs, a fresh
// user-data directory per run, and every page watched for console errors and uncaught exceptions.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots land: KINORA_E2E_ARTIFACTS, else web/e2e-results/. */
export const artifactsDir = resolve(
  process.env.KINORA_E2E_ARTIFACTS ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'e2e-results'),
);

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'kinora-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1366, height: 900 },
    // The app honours reduced motion (no entry animations), so screenshots show finished pages.
    reducedMotion: 'reduce',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Console errors and uncaught exceptions seen on a page. `allow` takes patterns for errors a
 * test provokes on purpose (e.g. the browser's own line about a 422 response it asked for).
 */
export class ConsoleWatch {
  /**
   * Allowed on every page: the browser logs the 401 that GET /api/auth/me answers an anonymous
   * visitor (docs/auth.md), which the app reads as "not signed in".
   */
  static readonly ALWAYS_ALLOWED = [/status of 401 \(Unauthorized\).*\/api\/auth\/me\)$/];

  readonly errors: string[] = [];
  private allowed: RegExp[] = [];

  constructor(page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.errors.push(`console: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => this.errors.push(`uncaught: ${e.message}`));
  }

  allow(pattern: RegExp) {
    this.allowed.push(pattern);
  }

  /** The errors not allowed, emptied so each check covers what happened since the last one. */
  take(): string[] {
    const allowed = [...ConsoleWatch.ALWAYS_ALLOWED, ...this.allowed];
    const unexpected = this.errors.filter((e) => !allowed.some((p) => p.test(e)));
    this.errors.length = 0;
    this.allowed = [];
    return unexpected;
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.mouse.move(0, 0); // no hover tooltips left over from the last click
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
