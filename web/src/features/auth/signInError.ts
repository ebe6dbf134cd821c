// What the sign-in form says when signing in fails. Pure, so it is unit-tested.

import { ApiError, toApiError } from '@/api/errors';

/** 45 → "45 seconds", 60 → "1 minute", 150 → "3 minutes", 7200 → "2 hours". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`;
  const m = Math.ceil(s / 60);
  if (m < 60) return m === 1 ? '1 minute' : `${m} minutes`;
  const h = Math.ceil(m / 60);
  return h === 1 ? '1 hour' : `${h} hours`;
}

/**
 * The message for a failed sign-in: the server's own words (the problem document's `detail`) for
 * a refusal, and for 429 how long to wait, from Retry-After.
 */
export function signInErrorMessage(err: unknown): string {
  const e: ApiError = toApiError(err);
  if (e.status === 429) {
    const wait = e.retryAfterSeconds;
    return wait != null && wait > 0
      ? `Too many sign-in attempts. Try again in ${formatWait(wait)}.`
      : 'Too many sign-in attempts. Wait a moment and try again.';
  }
  if (e.status === 401 && !e.problem?.detail) return 'Wrong username or password.';
  return e.message;
}
