// The web app in a real browser against a real `kinora serve`: one person's day, in order.
// Sign in as the first admin; upload a video through the file chooser and follow it to
// PROCESSED; play it through HLS; like it; see the dashboard's totals (scope "mine") move and
// match /api/analytics/stats?scope=mine; have a renamed text file refused with the server's
// reason. Every page is screenshotted and must log no console errors. (Accounts themselves:
// auth.e2e.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sessionCookie, signIn } from './harness/accounts';
import { ConsoleWatch, launchBrowser, screenshot, type Browser } from './harness/browser';
import { makeClip, makeFakeVideo } from './harness/media';
import { ADMIN_PASSWORD, ADMIN_USER, startKinora, type KinoraServer } from './harness/server';

let server: KinoraServer;
let browser: Browser;
let page: Page;
let consoleWatch: ConsoleWatch;

const clip = makeClip('sunrise-over-the-bay.mov');
const fake = makeFakeVideo('meeting-notes.mp4');

interface Totals {
  videos: number;
  views: number;
  likes: number;
}

beforeAll(async () => {
  server = await startKinora();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  consoleWatch = new ConsoleWatch(page);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(() => {
  expect(consoleWatch.take(), 'console errors on the page').toEqual([]);
});

async function apiStats(): Promise<
  Record<string, unknown> & { total_videos: number; total_views: number; total_likes: number }
> {
  // The dashboard's default scope for a signed-in caller, asked as the same user.
  const res = await fetch(`${server.url}/api/analytics/stats?scope=mine`, {
    headers: { Cookie: await sessionCookie(browser.context, server.url) },
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** The number a KPI card shows, as an integer ("1,234" → 1234). */
async function kpi(label: string): Promise<number> {
  const text = await page.getByRole('region', { name: label, exact: true }).locator('div.text-2xl').innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

async function dashboardTotals(): Promise<Totals> {
  await page.goto(`${server.url}/analytics`);
  // Who is signed in is asked first (the scope depends on it), then the stats: allow for both.
  await expect
    .poll(() => page.getByRole('region', { name: 'Videos', exact: true }).count(), { timeout: 10_000 })
    .toBe(1);
  return { videos: await kpi('Videos'), views: await kpi('Total views'), likes: await kpi('Likes') };
}

let before: Totals;
let videoId = '';

describe('Kinora in a browser', () => {
  it('signs in as the first admin (uploading and liking need a user)', async () => {
    await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
  });

  it('shows a useful empty library', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByText('Your library is empty').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, '01-library-empty');
  });

  it('shows the dashboard with the same totals as the API', async () => {
    before = await dashboardTotals();
    const stats = await apiStats();
    expect(before).toEqual({ videos: stats.total_videos, views: stats.total_views, likes: stats.total_likes });
    await screenshot(page, '02-analytics-before');
  });

  it('uploads a real video through the file chooser and follows it to PROCESSED', async () => {
    await page.goto(`${server.url}/upload`);
    // Slow the upload down so the progress bar is on screen long enough to be seen moving.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 200 * 1024,
    });
    // Record every state the row passes through, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __uploadStates: string[] }).__uploadStates = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"]');
        const row = document.querySelector('li[aria-label]');
        const state = `${bar?.getAttribute('aria-label') ?? ''}|${bar?.getAttribute('aria-valuenow') ?? ''}|${row?.textContent ?? ''}`;
        if (seen[seen.length - 1] !== state) seen.push(state);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose files' }).click();
    // tus (docs/uploads.md): the PATCH that completes the upload names the new video.
    const uploaded = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.headers()['kinora-video-id'] !== undefined,
      { timeout: 60_000 },
    );
    await (await chooser).setFiles(clip);

    const row = page.getByRole('listitem', { name: 'sunrise-over-the-bay.mov' });
    await expect.poll(() => row.getByRole('progressbar', { name: /^Uploading/ }).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, '03-upload-in-progress');
    // Browsing elsewhere does not stop the upload: the menu counts it, and the row is still
    // there on return.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /^Library/ }).click();
    await expect.poll(() => nav.getByLabel('1 uploading').count()).toBe(1);
    await nav.getByRole('link', { name: /^Upload/ }).click();
    await expect.poll(() => row.count()).toBe(1);
    const response = await uploaded;
    expect(response.status()).toBe(204);
    videoId = response.headers()['kinora-video-id'];
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    await expect.poll(() => row.getByText('Ready to watch').count(), { timeout: 120_000, interval: 250 }).toBe(1);
    const states = await page.evaluate(() => (window as unknown as { __uploadStates: string[] }).__uploadStates);
    const uploading = states.filter((s) => s.startsWith('Uploading'));
    const percents = new Set(uploading.map((s) => Number(s.split('|')[1])));
    expect(percents.size, `upload progress values seen: ${[...percents].join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(
      states.some((s) => /Processing|waiting for a processor/.test(s)),
      states.join('\n'),
    ).toBe(true);
    await screenshot(page, '04-upload-done');
  }, 180_000);

  it('plays the video through HLS, sends the audience beacon, and takes a like', async () => {
    const media: string[] = [];
    page.on('request', (r) => {
      if (/\.(m3u8|m4s|mp4)(\?|$)/.test(new URL(r.url()).pathname)) media.push(new URL(r.url()).pathname);
    });
    const beacon = page.waitForRequest((r) => r.url().endsWith('/api/analytics/beacon'));
    await page.getByRole('link', { name: 'Open sunrise-over-the-bay.mov' }).click();
    await page.waitForURL(`**/watch/${videoId}`);
    const video = page.locator('video');
    await expect.poll(() => page.getByText('Adaptive streaming (HLS)').count()).toBe(1);
    await expect.poll(() => page.getByRole('combobox', { name: /Quality/ }).count()).toBe(1);
    const qualities = await page
      .getByRole('combobox', { name: /Quality/ })
      .locator('option')
      .allInnerTexts();
    expect(qualities[0]).toMatch(/^Auto/);
    expect(qualities.length).toBeGreaterThanOrEqual(2);

    await video.evaluate((v: HTMLVideoElement) => {
      v.muted = true;
      return v.play();
    });
    await expect
      .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
      .toBeGreaterThan(1.5);
    expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
    expect(media.some((p) => p.endsWith('/hls/master.m3u8'))).toBe(true);
    expect(media.filter((p) => p.endsWith('.m4s')).length).toBeGreaterThanOrEqual(1);
    expect(
      media.some((p) => p.endsWith('/video.mp4')),
      'the MP4 fallback was not needed',
    ).toBe(false);
    // The beacon measures playback now (docs/analytics.md); the owner's own plays are not counted.
    expect((await beacon).method()).toBe('POST');
    await expect.poll(() => page.getByText('0 views').count()).toBe(1);
    await video.evaluate((v: HTMLVideoElement) => v.pause());
    await screenshot(page, '05-watch');

    await page.getByRole('button', { name: 'Like (0 likes)' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Like (1 likes)' }).count()).toBe(1);
  }, 90_000);

  it('shows the new totals on the dashboard, equal to /api/analytics/stats', async () => {
    const after = await dashboardTotals();
    // The owner's own play is no view (docs/analytics.md, "Not counted").
    expect(after).toEqual({ videos: before.videos + 1, views: before.views, likes: before.likes + 1 });
    const stats = await apiStats();
    expect(after).toEqual({ videos: stats.total_videos, views: stats.total_views, likes: stats.total_likes });
    const top = page.getByRole('region', { name: 'Top videos' });
    await expect.poll(() => top.locator(`a[href="/watch/${videoId}"]`).count()).toBeGreaterThan(0);
    await screenshot(page, '06-analytics-after');
  });

  it('refuses a renamed text file with the server’s reason on screen', async () => {
    await page.goto(`${server.url}/upload`);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose files' }).click();
    // The upload is created, then the PATCH carrying its last byte is refused by the probe.
    const refused = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname.startsWith('/api/uploads/'),
    );
    await (await chooser).setFiles(fake);
    const response = await refused;
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
    const problem = await response.json();
    expect(problem.detail).toBeTruthy();
    // The browser itself logs the failed request; that is the one error this test asks for.
    consoleWatch.allow(new RegExp(`status of ${response.status()}`));

    const row = page.getByRole('listitem', { name: 'meeting-notes.mp4' });
    await expect.poll(() => row.innerText()).toContain(problem.detail);
    expect(await row.innerText()).not.toMatch(/Network Error/i);
    await screenshot(page, '07-upload-refused');
    const stats = await apiStats();
    expect(stats.total_videos).toBe(before.videos + 1);
  });

  it('lists, searches and sorts the library, on a desktop and on a phone', async () => {
    await page.goto(server.url);
    await expect
      .poll(() => page.locator(`a[href="/watch/${videoId}"]`).count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    await screenshot(page, '08-library');

    const search = page.getByPlaceholder('Search by title');
    await search.fill('no such title');
    await expect.poll(() => page.getByText('No videos match').count()).toBe(1);
    await search.fill('SUNRISE');
    await expect.poll(() => page.locator(`a[href="/watch/${videoId}"]`).count()).toBeGreaterThan(0);
    await page.getByLabel('Sort by').selectOption({ label: 'Most viewed' });
    await page.getByRole('button', { name: 'Table view' }).click();
    await expect.poll(() => page.getByRole('table').locator(`a[href="/watch/${videoId}"]`).count()).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('view')).toBe('table');
    await screenshot(page, '08-library-table');
    await page.goto(server.url);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await expect.poll(() => page.locator(`a[href="/watch/${videoId}"]`).count()).toBeGreaterThan(0);
    await screenshot(page, '09-library-phone');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('shows a 404 page for an unknown address', async () => {
    await page.goto(`${server.url}/no/such/page`);
    await expect.poll(() => page.getByText('Page not found').count()).toBe(1);
    await screenshot(page, '10-not-found');
  });
});
