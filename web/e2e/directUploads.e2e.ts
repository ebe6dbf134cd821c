// Direct-to-S3 uploads in a real browser (docs/uploads.md, "Direct to S3"): against a split
// deployment on s3rver, GET /api/uploads/config offers `s3_multipart`, so the web app PUTs a
// ~27 MB video to the bucket in 5 MiB parts (presigned by the uploader) over a throttled
// connection. Once the browser remembers a finished part, the page is reloaded mid-way, the same
// file is chosen again, the app offers to continue it, and continuing sends only the parts the
// browser had not finished. Completion makes the video, and the object in the bucket is the file,
// byte for byte.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page, Request } from 'playwright-core';
import { sessionCookie, signIn } from './harness/accounts';
import { ConsoleWatch, launchBrowser, screenshot, type Browser } from './harness/browser';
import { startSplitCluster, type SplitCluster } from './harness/cluster';
import { ADMIN_PASSWORD, ADMIN_USER } from './harness/server';

const MiB = 1024 * 1024;
const PART = 5 * MiB; // the app's part size for a file this small (S3's smallest)
/** Upload bandwidth while the test watches (bytes/s): the file takes ~9 s. */
const THROTTLE = 3 * MiB;
const STORAGE_PREFIX = 'kinora-s3-upload::';
const NAME = 'tide-pool-static.mp4';

/** 3 s of 640×360 luma noise coded losslessly (H.264 qp 0) with a tone: a real video of ~27 MB. */
function makeNoiseClip(name: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kinora-e2e-direct-')), name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    "nullsrc=s=640x360:r=25:d=3,geq=lum='random(1)*255':cb=128:cr=128",
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=3',
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

const clip = makeNoiseClip(NAME);
const clipSize = statSync(clip).size;
const partCount = Math.ceil(clipSize / PART);
const partSize = (n: number) => Math.min(PART, clipSize - (n - 1) * PART);

let cluster: SplitCluster;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let consoleWatch: ConsoleWatch;
let cookie = '';
interface StoredUpload {
  uploadId: string;
  key: string;
  parts: Array<{ PartNumber: number; ETag: string; Size: number }>;
}

async function api(path: string): Promise<Response> {
  return fetch(`${cluster.url}${path}`, { headers: { Cookie: cookie } });
}

/** What the page keeps in localStorage of its unfinished direct uploads. */
async function storedUploads(): Promise<StoredUpload[]> {
  return page.evaluate((prefix) => {
    const out: StoredUpload[] = [];
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i)!;
      if (key.startsWith(prefix)) out.push(JSON.parse(localStorage.getItem(key)!) as StoredUpload);
    }
    return out;
  }, STORAGE_PREFIX);
}

async function throttle(bytesPerSecond: number): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
}

async function choose(file: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Choose files' }).click();
  await (await chooser).setFiles(file);
}

/** A part PUT to the bucket's presigned URL (not through Kinora). */
function partNumberOf(r: Request): number | null {
  if (r.method() !== 'PUT' || !r.url().startsWith(`${cluster.s3Endpoint}/`)) return null;
  return Number(new URL(r.url()).searchParams.get('partNumber'));
}

function isDirectApi(r: Request, method: string, suffix: RegExp): boolean {
  const path = new URL(r.url()).pathname;
  return r.method() === method && path.startsWith('/api/uploads/s3/multipart') && suffix.test(path);
}

beforeAll(async () => {
  cluster = await startSplitCluster();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  consoleWatch = new ConsoleWatch(page);
  cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  // Reloading while an upload runs asks first (the app's beforeunload); the test means it.
  page.on('dialog', (d) => void d.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail' && cluster) console.error(cluster.log().slice(-20_000));
  if (consoleWatch) expect(consoleWatch.take(), 'console errors on the page').toEqual([]);
});

describe('direct-to-S3 uploads in a browser', () => {
  it('sends the parts to the bucket, continues after a reload, and stores the file as it was', async () => {
    expect(partCount).toBeGreaterThanOrEqual(4);
    expect(partCount).toBeLessThanOrEqual(8);
    await signIn(page, cluster.url, ADMIN_USER, ADMIN_PASSWORD);
    cookie = await sessionCookie(browser.context, cluster.url);
    const config = await api('/api/uploads/config');
    expect(config.status, await config.clone().text()).toBe(200);
    expect(await config.json()).toMatchObject({ s3_multipart: true });

    await page.goto(`${cluster.url}/upload`);
    await throttle(THROTTLE);
    const created = page.waitForResponse((r) => isDirectApi(r.request(), 'POST', /\/multipart$/), {
      timeout: 30_000,
    });
    await page.getByLabel(/^Title/).fill('Tide pool static');
    await page.getByLabel('Visibility').selectOption('unlisted');
    await choose(clip);
    const made = await created;
    expect(made.status(), await made.text()).toBe(200);
    const { uploadId, key } = (await made.json()) as { uploadId: string; key: string };
    expect(key).toMatch(/^videos\/[0-9a-f-]{36}\.mp4$/);
    const row = page.getByRole('listitem', { name: NAME });
    await expect.poll(() => row.getByRole('progressbar', { name: /^Uploading/ }).count(), { timeout: 10_000 }).toBe(1);

    // At least one part is in the bucket, and remembered, before the page goes away.
    await expect
      .poll(async () => (await storedUploads())[0]?.parts.length ?? 0, { timeout: 30_000, interval: 100 })
      .toBeGreaterThanOrEqual(1);

    // Count the parts the page sends from now on.
    const sentAfterReload: number[] = [];
    let counting = false;
    page.on('requestfinished', (r) => {
      const n = partNumberOf(r);
      if (counting && n !== null) sentAfterReload.push(n);
    });
    await page.reload();
    counting = true;
    await throttle(THROTTLE);
    // What the page remembers once it is gone: the parts it finished (those cut short are not).
    const before = (await storedUploads())[0];
    expect(before).toMatchObject({ uploadId, key });
    const kept = new Set(before.parts.map((p) => p.PartNumber));
    expect(kept.size).toBeGreaterThanOrEqual(1);
    expect(kept.size).toBeLessThan(partCount);

    // Choosing the same file again offers to continue it, with how far it got.
    await choose(clip);
    const offer = row.getByText(/^This file was partly uploaded \(/);
    await expect.poll(() => offer.count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'direct-uploads-01-resume-offer');
    const completed = page.waitForResponse((r) => isDirectApi(r.request(), 'POST', /\/complete$/), {
      timeout: 60_000,
    });
    await row.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => row.getByText(/^resumed at \d/).count(), { timeout: 15_000 }).toBe(1);
    // The form was reset by the reload; the row shows the visibility the upload was created with.
    expect(await row.getByText('Visibility: Unlisted', { exact: true }).count()).toBe(1);

    const done = await completed;
    expect(done.status(), await done.text()).toBe(200);
    const { video_id: videoId } = (await done.json()) as { video_id: string };
    await throttle(-1);

    // After the reload the page sent exactly the parts it had not finished, each once.
    const expected = Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !kept.has(n));
    expect([...sentAfterReload].sort((a, b) => a - b)).toEqual(expected);
    const bytesAfterReload = expected.reduce((sum, n) => sum + partSize(n), 0);
    expect(bytesAfterReload).toBeLessThan(clipSize);
    expect(await storedUploads()).toEqual([]); // finished: forgotten

    // The video is listed as the app lists a new one, with the fields it was created with.
    await expect.poll(() => row.getByRole('link', { name: `Open ${NAME}` }).count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getByRole('link', { name: `Open ${NAME}` }).getAttribute('href')).toBe(`/watch/${videoId}`);
    const res = await api(`/api/analytics/video/${videoId}`);
    expect(res.status, await res.clone().text()).toBe(200);
    const video = (await res.json()) as { status: string; size: number; title: string; visibility: string };
    expect(video).toMatchObject({ status: 'UPLOADED', size: clipSize, title: 'Tide pool static' });
    expect(video.visibility).toBe('unlisted');
    await screenshot(page, 'direct-uploads-02-uploaded');

    // The original in the bucket is the file, byte for byte.
    const object = await fetch(`${cluster.s3Endpoint}/${cluster.bucket}/${key}`);
    expect(object.status).toBe(200);
    const stored = Buffer.from(await object.arrayBuffer());
    expect(stored.length).toBe(clipSize);
    expect(stored.equals(readFileSync(clip))).toBe(true);

    // The upload is over: the direct endpoints no longer know it.
    const listed = await api(`/api/uploads/s3/multipart/${uploadId}?key=${encodeURIComponent(key)}`);
    expect(listed.status).toBe(404);
  }, 120_000);
});
