// Accounts in a real browser against a real `kinora serve` started with KINORA_ADMIN_PASSWORD
// (harness/server.ts): the admin signs in and creates alice (generated password) and bob (chosen
// password) on the admin page; alice signs in, sets her own password, uploads a private video,
// makes an API token and signs out; bob signs in and cannot find or open her video; alice's token
// uploads with Node's fetch (multipart, Bearer header) and sees both videos, while an anonymous
// caller is refused. Every page is screenshotted and must log no unexpected console errors.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { accountButton, readSecret, sessionCookie, signIn, signOut } from './harness/accounts';
import { ConsoleWatch, launchBrowser, screenshot, type Browser } from './harness/browser';
import { makeClip } from './harness/media';
import { ADMIN_PASSWORD, ADMIN_USER, startKinora, type KinoraServer } from './harness/server';

let server: KinoraServer;
let browser: Browser;
let page: Page;
let consoleWatch: ConsoleWatch;

const clip = makeClip('alice-private-rehearsal.mov');
const CLIP_TITLE = basename(clip);
const BOB_PASSWORD = 'bob-Chosen-passw0rd-91';

// What the steps learn and hand on, in order.
let alicePassword = '';
let bobPassword = BOB_PASSWORD;
let privateVideoId = '';
let aliceToken = '';

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

/** Creates a user on the admin page; returns the password the server generated, if it did. */
async function createUser(username: string, password?: string): Promise<string | undefined> {
  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Role').selectOption('user');
  if (password) await form.getByLabel('Password (optional)').fill(password);
  const created = page.waitForResponse((r) => r.url().endsWith('/api/admin/users') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Create user' }).click();
  expect((await created).status()).toBe(201);

  let generated: string | undefined;
  const shown = page.getByRole('dialog', { name: 'User created' });
  // A generated password is shown once; a chosen one closes the dialog at once.
  await expect.poll(async () => (await shown.count()) > 0 || (await page.getByRole('dialog').count()) === 0).toBe(true);
  if (await shown.count()) {
    generated = await readSecret(shown);
    await screenshot(page, `auth-03-user-created-${username}`);
    await shown.getByRole('button', { name: 'Done' }).click();
  }
  await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  await expect.poll(() => page.getByRole('row', { name: username, exact: true }).count()).toBe(1);
  return generated;
}

describe('Accounts in a browser', () => {
  it('refuses a wrong password with the server’s reason', async () => {
    await page.goto(`${server.url}/login`);
    const form = page.getByRole('form', { name: 'Sign in' });
    // Not the admin: failures back off per account (429), and the admin signs in next.
    await form.getByLabel('Username').fill('mallory');
    await form.getByLabel('Password').fill('not-the-password');
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
    await form.getByRole('button', { name: 'Sign in' }).click();
    const response = await refused;
    expect(response.status()).toBe(401);
    const problem = await response.json();
    await expect.poll(() => form.getByRole('alert').innerText()).toContain(problem.detail);
    consoleWatch.allow(/status of 401 \(Unauthorized\).*\/api\/auth\/login\)$/);
    await screenshot(page, 'auth-01-login-refused');
  });

  it('signs the admin in', async () => {
    const password = await signIn(page, server.url, ADMIN_USER, ADMIN_PASSWORD);
    expect(password, 'KINORA_ADMIN_PASSWORD needs no change at first sign-in').toBe(ADMIN_PASSWORD);
    await expect.poll(() => accountButton(page, ADMIN_USER).innerText()).toMatch(/admin/i);
    await screenshot(page, 'auth-02-admin-signed-in');
  });

  it('creates alice (generated password) and bob (chosen password) on the admin page', async () => {
    await accountButton(page, ADMIN_USER).click();
    await page.getByRole('link', { name: 'Admin: users' }).click();
    await page.waitForURL('**/admin/users');
    await expect.poll(() => page.getByRole('row', { name: ADMIN_USER, exact: true }).count()).toBe(1);

    const generated = await createUser('alice');
    expect(generated, 'a user created without a password gets a generated one, shown once').toBeTruthy();
    alicePassword = generated!;
    const bobGenerated = await createUser('bob', BOB_PASSWORD);
    if (bobGenerated) bobPassword = bobGenerated;
    await expect.poll(() => page.getByRole('row', { name: 'alice', exact: true }).innerText()).toMatch(/Active/);
    await screenshot(page, 'auth-04-admin-users');
    await signOut(page, ADMIN_USER);
  });

  it('alice signs in, sets her own password, uploads a private video, makes a token and signs out', async () => {
    alicePassword = await signIn(page, server.url, 'alice', alicePassword, 'alice-Own-passw0rd-55');

    await page.goto(`${server.url}/upload`);
    await page.getByLabel('Visibility').selectOption('private');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose files' }).click();
    // tus (docs/uploads.md): the PATCH that completes the upload names the new video.
    const uploaded = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.headers()['kinora-video-id'] !== undefined,
      { timeout: 60_000 },
    );
    await (await chooser).setFiles(clip);
    const response = await uploaded;
    expect(response.status()).toBe(204);
    privateVideoId = response.headers()['kinora-video-id'];
    const details = await fetch(`${server.url}/api/analytics/video/${privateVideoId}`, {
      headers: { Cookie: await sessionCookie(page.context(), server.url) },
    });
    expect(details.status).toBe(200);
    expect((await details.json()).visibility).toBe('private');
    const row = page.getByRole('listitem', { name: CLIP_TITLE });
    await expect.poll(() => row.getByText('Visibility: Private', { exact: true }).count()).toBe(1);
    await screenshot(page, 'auth-05-alice-upload-private');

    // Her library lists it, as hers.
    await page.goto(`${server.url}/?mine=1`);
    await expect.poll(() => page.locator(`a[href="/watch/${privateVideoId}"]`).count()).toBeGreaterThan(0);
    await expect
      .poll(() =>
        page
          .getByRole('group', { name: 'Whose videos' })
          .getByRole('button', { name: 'My videos' })
          .getAttribute('aria-pressed'),
      )
      .toBe('true');
    await screenshot(page, 'auth-06-alice-library');

    // A token for scripts, shown once.
    await accountButton(page, 'alice').click();
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL('**/account/tokens');
    await page.getByRole('button', { name: 'New token' }).click();
    const form = page.getByRole('form', { name: 'New API token' });
    await form.getByLabel('Name').fill('e2e-uploader');
    await form.getByRole('checkbox', { name: /videos:write/ }).check();
    await form.getByLabel('Expires after (days)').fill('7');
    await form.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByRole('dialog', { name: 'Token created' });
    await expect.poll(() => shown.count()).toBe(1);
    aliceToken = await readSecret(shown);
    expect(aliceToken).toMatch(/^kin_/);
    await screenshot(page, 'auth-07-token-created');
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await expect.poll(() => page.getByText(aliceToken).count()).toBe(0);
    const tokenRow = page.getByRole('row').filter({ hasText: 'e2e-uploader' });
    await expect.poll(() => tokenRow.count()).toBe(1);
    expect(await tokenRow.innerText()).toMatch(/videos:write/);
    await screenshot(page, 'auth-08-tokens');

    await signOut(page, 'alice');
  }, 60_000);

  it('bob signs in and can neither find nor open alice’s private video', async () => {
    bobPassword = await signIn(page, server.url, 'bob', bobPassword);
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('group', { name: 'Whose videos' }).count()).toBe(1);
    await expect.poll(() => page.getByText(/Your library is empty|No videos match/).count()).toBe(1);
    expect(await page.locator(`a[href="/watch/${privateVideoId}"]`).count()).toBe(0);
    await page.getByPlaceholder('Search by title').fill('alice-private');
    await expect.poll(() => page.getByText('No videos match').count()).toBe(1);
    await screenshot(page, 'auth-09-bob-library');

    // By its address: the same 404 as an unknown id.
    const opened = page.waitForResponse((r) => r.url().endsWith(`/api/analytics/video/${privateVideoId}`));
    await page.goto(`${server.url}/watch/${privateVideoId}`);
    expect((await opened).status()).toBe(404);
    await expect.poll(() => page.getByText('Could not load this video').count()).toBe(1);
    consoleWatch.allow(/status of 404 \(Not Found\)/);
    await screenshot(page, 'auth-10-bob-watch-404');

    // Signed out from the library: from the watch page, the page would ask for the video once more
    // as an anonymous visitor on its way out, and log that 404 too.
    await page.goto(server.url);
    await signOut(page, 'bob');
  });

  it('alice’s token uploads with Node’s fetch; anonymous callers are refused and see nothing private', async () => {
    const form = new FormData();
    form.append('title', 'uploaded by a script');
    form.append('visibility', 'private');
    form.append('file', new Blob([readFileSync(clip)], { type: 'video/quicktime' }), 'from-a-script.mov');
    const res = await fetch(`${server.url}/api/uploader/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${aliceToken}` },
      body: form,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const scripted = (await res.json()) as { video_id: string; video?: { owner_id?: string; visibility?: string } };
    expect(scripted.video?.visibility).toBe('private');

    const mine = await fetch(`${server.url}/api/analytics/videos?mine=true&limit=100`, {
      headers: { Authorization: `Bearer ${aliceToken}` },
    });
    expect(mine.status).toBe(200);
    const ids = ((await mine.json()) as { videos: { video_id: string }[] }).videos.map((v) => v.video_id);
    expect(ids).toEqual(expect.arrayContaining([privateVideoId, scripted.video_id]));

    const anonymousForm = new FormData();
    anonymousForm.append('file', new Blob([readFileSync(clip)]), 'anonymous.mov');
    const anonymous = await fetch(`${server.url}/api/uploader/upload`, { method: 'POST', body: anonymousForm });
    expect(anonymous.status).toBe(401);

    const listed = await fetch(`${server.url}/api/analytics/videos?limit=100`);
    const publicIds = ((await listed.json()) as { videos: { video_id: string }[] }).videos.map((v) => v.video_id);
    expect(publicIds).not.toContain(privateVideoId);
    expect(publicIds).not.toContain(scripted.video_id);
    const details = await fetch(`${server.url}/api/analytics/video/${privateVideoId}`);
    expect(details.status).toBe(404);
  }, 60_000);
});
