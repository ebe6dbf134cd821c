// Signing in and out through the web app as a person does, for the end-to-end tests, and reading
// a secret the app shows once (a generated password, a new API token). They use expect.poll, so
// call them inside a test, not in beforeAll.
import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/** The header's account button of a signed-in user ("Account: alice (user)"). */
export function accountButton(page: Page, username: string): Locator {
  return page.getByRole('button', { name: new RegExp(`^Account: ${username} \\(`) });
}

/**
 * Signs in on /login. An account with a temporary password (generated or reset) is asked for a new
 * one at once: then `newPassword` is set. Returns the password the account has afterwards.
 */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  password: string,
  newPassword = `${password}-Own-7`,
): Promise<string> {
  await page.goto(`${baseUrl}/login`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();

  const changeHeading = page.getByRole('heading', { name: 'Change your password' });
  await expect
    .poll(async () => (await accountButton(page, username).count()) + (await changeHeading.count()), {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
  if ((await changeHeading.count()) === 0) return password;

  const change = page.getByRole('form', { name: 'Change password' });
  await change.getByLabel('New password', { exact: true }).fill(newPassword);
  await change.getByLabel('New password again').fill(newPassword);
  await change.getByRole('button', { name: 'Set password and continue' }).click();
  await expect.poll(() => changeHeading.count(), { timeout: 15_000 }).toBe(0);
  await expect.poll(() => accountButton(page, username).count()).toBe(1);
  return newPassword;
}

/** Signs out through the account menu and waits for the header's "Sign in" link. */
export async function signOut(page: Page, username: string): Promise<void> {
  await accountButton(page, username).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect.poll(() => page.getByRole('link', { name: 'Sign in', exact: true }).count()).toBeGreaterThan(0);
}

/** The text of a shown-once secret in the open dialog (SecretReveal's box). */
export async function readSecret(dialog: Locator): Promise<string> {
  const text = (await dialog.locator('[data-secret]').innerText()).trim();
  expect(text.length).toBeGreaterThan(0);
  return text;
}

/** The browser's session cookie as a `Cookie` header, so Node's fetch can ask as the same user. */
export async function sessionCookie(context: BrowserContext, baseUrl: string): Promise<string> {
  const cookies = await context.cookies(baseUrl);
  const session = cookies.find((c) => c.name === 'kinora_session');
  expect(session, 'the kinora_session cookie after signing in').toBeTruthy();
  return `kinora_session=${session!.value}`;
}
