import { api, apiPath } from './client';
import type { PasswordChange } from './authTypes';

/**
 * POST /api/auth/password → 204. Ends the user's other sessions and clears
 * `must_change_password`; this session stays signed in.
 */
export async function changePassword(change: PasswordChange): Promise<void> {
  await api.post(apiPath('/api/auth/password'), change);
}
