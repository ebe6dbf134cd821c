import { api, apiPath } from './client';
import type { Credentials, UserAnswer } from './authTypes';

/**
 * POST /api/auth/signup → 201. 403 unless the site allows sign-ups; with approval required the
 * user comes back `approved: false` and cannot sign in until an admin approves.
 */
export async function signup(credentials: Credentials): Promise<UserAnswer> {
  const res = await api.post<UserAnswer>(apiPath('/api/auth/signup'), credentials);
  return res.data;
}
