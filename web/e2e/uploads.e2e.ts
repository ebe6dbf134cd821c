// Resumable uploads in a real browser (docs/uploads.md, "Clients"): the web app sends a ~55 MB
// video with tus in 8 MiB chunks over a throttled connection; once the server has kept at least
// one chunk the page is reloaded mid-way, the same file is chosen again, the app offers to
// continue it, and continuing sends only what the server did not have. The upload becomes a video
// (UPLOADED, then PROCESSING/PROCESSED). Then pause, resume and cancel on a second upload: cancel
// deletes it on the server. Screenshots of the offer and of the resumed progress.
// Skipped (with the reason) when the binary has no tus endpoint yet.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page, Request } from 'playwright-core';
import { sessionCookie, signIn } from './harness/accounts';
import { ConsoleWatch, launchBrowser, screenshot, type Browser } from './harness/browser';
import { ADMIN_PASSWORD, ADMIN_USER, startKinora, type KinoraServer } from './harness/server';

const MiB = 1024 * 1024;
/** Upload bandwidth while the test watches (bytes/s): a 55 MB file takes ~15 s. */
const THROTTLE = 4 * MiB;

let server: KinoraServer;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let consoleWatch: ConsoleWatch;
let cookie = '';
/** Why the suite cannot run against this binary, or null. */
let missing: string | null = null;

/**
 * 6 s of 640×360 luma noise coded losslessly (H.264 qp 0) with a tone: a real video that is
 * large (~55 MB) because noise does not compress.
 */
function makeLargeClip(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kinora-e2e-uploads-')), name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    "nullsrc=s=640x360:r=25:d=6,geq=lum='random(1)*255':cb=128:cr=128",
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=6',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-qp',
    '0',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    path,
  ]);
  return path;
}

const bigClip = makeLargeClip('harbour-at-night.mp4');
const bigSize = statSync(bigClip).size;

interface UploadState {
  upload_id: string;
  offset: number;
  length: number;
  video_id: string | null;
  complete: boolean;
}

async function api(path: string): Promise<Response> {
  return fetch(`${server.url}${path}`, { headers: { Cookie: cookie, 'Tus-Resumable': '1.0.0' } });
}

async function uploadState(uploadId: string): Promise<UploadState | null> {
  const res = await api(`/api/uploads/${uploadId}`);
  if (res.status === 404) return null;
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as UploadState;
}

/** The upload's state once its offset has stayed the same for a second. */
async function settledState(uploadId: string): Promise<UploadState> {
  let last = (await uploadState(uploadId))!;
  for (let i = 0; i < 30; i += 1) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = (await uploadState(uploadId))!;
    if (now.offset === last.offset) return now;
    last = now;
  }
  throw new Error(`upload ${uploadId} kept moving: offset ${last.offset}`);
}

async function throttle(bytesPerSecond: number): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

/** Chooses `file` on the upload page. */
async function choose(file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose files' }).click();
  await (await chooser).setFiles(file);
}

/** The id of the next tus upload the page creates (from the POST's Location). */
function nextCreatedUpload(): Promise<string> {
  return page
    .waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/uploads/', {
      timeout: 30_000,
    })
    .then((r) => {
      expect(r.status()).toBe(201);
      const location = r.headers()['location'] ?? '';
      const id = /\/api\/uploads\/([^/?#]+)$/.exec(location)?.[1];
      expect(id, `Location: ${location}`).toBeTruthy();
      return id!;
    });
}

function isPatch(r: Request): boolean {
  return r.method() === 'PATCH' && new URL(r.url()).pathname.startsWith('/api/uploads/');
}

beforeAll(async () => {
  server = await startKinora();
  const probe = await fetch(`${server.url}/api/uploads/`, { method: 'OPTIONS' });
  if (probe.status !== 204 || probe.headers.get('tus-version') === null) {
    missing = `this kinora binary has no tus endpoint (OPTIONS /api/uploads/ is ${probe.status})`;
    console.warn(`uploads.e2e: skipped: ${missing}`);
    return;
  }
  browser = await launchBrowser();
  page = await browser.context.newPage();
  consoleWatch = new ConsoleWatch(page);
  cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Reloading while an upload runs asks first (the app's beforeunload); the test means it.
  page.on('dialog', (d) => void d.accept());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

afterEach(() => {
  if (consoleWatch) expect(consoleWatch.take(), 'console errors on the page').toEqual([]);
});

describe('resumable uploads in a browser', () => {
  let uploadId = '';
  let videoId = '';

  it('continues an upload interrupted by a reload, sending only what the server lacks', async (ctx) => {
    if (missing) ctx.skip();
    expect(bigSize).toBeGreaterThan(40 * MiB);
    expect(bigSize).toBeLessThan(80 * MiB);
    await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
    cookie = await sessionCookie(browser.context, server.url);
    // What the app asks before its first upload: tus, 8 MiB chunks, no direct-to-S3 on a local store.
    const config = await api('/api/uploads/config');
    expect(config.status, await config.clone().text()).toBe(200);
    expect(await config.json()).toMatchObject({
      tus: { endpoint: '/api/uploads/', chunk_size: 8 * MiB },
      s3_multipart: false,
    });

    await page.goto(`${server.url}/upload`);
    await throttle(THROTTLE);
    const created = nextCreatedUpload();
    // The form's fields travel as Upload-Metadata when the upload is created.
    await page.getByLabel(/^Title/).fill('Harbour at night');
    await page.getByLabel(/^Description/).fill('Noise, mostly.');
    await page.getByLabel('Visibility').selectOption('unlisted');
    await choose(bigClip);
    uploadId = await created;
    const row = page.getByRole('listitem', { name: 'harbour-at-night.mp4' });
    await expect.poll(() => row.getByRole('progressbar', { name: /^Uploading/ }).count(), { timeout: 10_000 }).toBe(1);

    // At least one chunk is durable on the server before the page goes away.
    await expect
      .poll(async () => (await uploadState(uploadId))?.offset ?? 0, { timeout: 30_000, interval: 200 })
      .toBeGreaterThanOrEqual(8 * MiB);
    const beforeReload = (await uploadState(uploadId))!;
    expect(beforeReload.offset).toBeLessThan(bigSize);
    expect(beforeReload.length).toBe(bigSize);

    // Count what the page sends from now on.
    let sentAfterReload = 0;
    const patchOffsets: number[] = [];
    let counting = false;
    page.on('request', (r) => {
      if (counting && isPatch(r)) patchOffsets.push(Number(r.headers()['upload-offset']));
    });
    page.on('requestfinished', async (r) => {
      if (!counting || !isPatch(r)) return;
      // The headers as sent on the wire (the XHR's Content-Length is set by the browser).
      const length = Number((await r.allHeaders())['content-length']);
      expect(Number.isFinite(length), 'a PATCH without Content-Length').toBe(true);
      expect(length).toBeLessThanOrEqual(8 * MiB);
      sentAfterReload += length;
    });
    await page.reload();
    counting = true;
    await throttle(THROTTLE);
    // The server finishes the interrupted PATCH on its side (keeping its durable bytes): wait
    // until the offset stops moving.
    const afterReload = await settledState(uploadId);
    expect(afterReload.offset).toBeGreaterThanOrEqual(beforeReload.offset);
    expect(afterReload.complete).toBe(false);
    // A PATCH that meets the server still busy with the interrupted one is refused (423) and retried.
    consoleWatch.allow(/status of 423/);

    // Choosing the same file again offers to continue it, with how far it got.
    await choose(bigClip);
    const offer = row.getByText(/^This file was partly uploaded \(/);
    await expect.poll(() => offer.count(), { timeout: 15_000 }).toBe(1);
    expect(await offer.innerText()).toMatch(/\(\d+(\.\d+)? MB of \d+(\.\d+)? MB\)/);
    await expect.poll(() => row.getByRole('button', { name: 'Start over' }).count()).toBe(1);
    await screenshot(page, 'uploads-01-resume-offer');

    const finalPatch = page.waitForResponse(
      (r) => isPatch(r.request()) && r.headers()['kinora-video-id'] !== undefined,
      {
        timeout: 120_000,
      },
    );
    await row.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => row.getByText(/^resumed at \d/).count(), { timeout: 15_000 }).toBe(1);
    // The form was reset by the reload; the row shows the visibility the upload was created with.
    expect(await row.getByText('Visibility: Unlisted', { exact: true }).count()).toBe(1);
    await expect
      .poll(
        async () => Number(await row.getByRole('progressbar', { name: /^Uploading/ }).getAttribute('aria-valuenow')),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(Math.round((100 * afterReload.offset) / bigSize));
    await screenshot(page, 'uploads-02-resumed-progress');

    const done = await finalPatch;
    expect(done.status()).toBe(204);
    videoId = done.headers()['kinora-video-id'];
    await throttle(-1);

    // The first PATCH after the reload started at the server's offset, and what was sent after
    // the reload is the rest of the file, not the whole of it.
    expect(patchOffsets[0]).toBe(afterReload.offset);
    expect(patchOffsets[0]).toBeGreaterThan(0);
    await expect.poll(() => sentAfterReload, { timeout: 5_000 }).toBeGreaterThanOrEqual(bigSize - afterReload.offset);
    expect(sentAfterReload, `PATCH offsets after the reload: ${patchOffsets.join(', ')}`).toBeLessThan(bigSize);

    // The upload became a video, listed as the app lists a new one.
    const finished = (await uploadState(uploadId))!;
    expect(finished).toMatchObject({ complete: true, video_id: videoId, offset: bigSize });
    await expect
      .poll(() => row.getByRole('link', { name: 'Open harbour-at-night.mp4' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await row.getByRole('link', { name: 'Open harbour-at-night.mp4' }).getAttribute('href')).toBe(
      `/watch/${videoId}`,
    );
    const res = await api(`/api/analytics/video/${videoId}`);
    expect(res.status).toBe(200);
    const video = (await res.json()) as {
      status: string;
      size: number;
      original_filename: string;
      title: string;
      description: string;
      visibility: string;
    };
    expect(['UPLOADED', 'PROCESSING', 'PROCESSED']).toContain(video.status);
    expect(video.size).toBe(bigSize);
    expect(video.original_filename).toBe('harbour-at-night.mp4');
    expect(video).toMatchObject({ title: 'Harbour at night', description: 'Noise, mostly.', visibility: 'unlisted' });
    await expect
      .poll(() => row.getByText(/Processing|waiting for a processor|Ready to watch/).count(), { timeout: 10_000 })
      .toBe(1);
    await screenshot(page, 'uploads-03-uploaded');
  }, 240_000);

  it('pauses, resumes and cancels an upload; cancel deletes it on the server', async (ctx) => {
    if (missing) ctx.skip();
    await page.goto(`${server.url}/upload`);
    await page
      .getByRole('button', { name: 'Clear finished' })
      .click({ timeout: 5_000 })
      .catch(() => undefined);
    await throttle(THROTTLE);
    const created = nextCreatedUpload();
    // The finished upload's fingerprint was removed, so the same file starts afresh: no offer.
    await choose(bigClip);
    const id = await created;
    expect(id).not.toBe(uploadId);
    const row = page.getByRole('listitem', { name: 'harbour-at-night.mp4' }).last();
    await expect
      .poll(async () => (await uploadState(id))?.offset ?? 0, { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(0);

    let patchesWhilePaused = 0;
    let isPaused = false;
    page.on('request', (r) => {
      if (isPaused && isPatch(r)) patchesWhilePaused += 1;
    });
    await row.getByRole('button', { name: 'Pause upload of harbour-at-night.mp4' }).click();
    isPaused = true;
    await expect.poll(() => row.getByRole('progressbar', { name: /^Paused/ }).count()).toBe(1);
    const paused = (await settledState(id)).offset;
    expect(paused).toBeLessThan(bigSize);
    expect(patchesWhilePaused).toBe(0);
    await screenshot(page, 'uploads-04-paused');
    isPaused = false;
    consoleWatch.allow(/status of 423/);

    await row.getByRole('button', { name: 'Resume upload of harbour-at-night.mp4' }).click();
    await expect
      .poll(async () => (await uploadState(id))?.offset ?? 0, { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(paused);

    // Terminating while the server still finishes the aborted PATCH may meet a 423 first; tus retries.
    const terminated = page.waitForResponse(
      (r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/uploads/${id}`) && r.status() !== 423,
      { timeout: 30_000 },
    );
    await row.getByRole('button', { name: 'Cancel upload of harbour-at-night.mp4' }).click();
    expect((await terminated).status()).toBe(204);
    await expect.poll(() => row.getByText('Cancelled').count()).toBe(1);
    expect(await uploadState(id)).toBeNull();
    await throttle(-1);
  }, 120_000);
});
