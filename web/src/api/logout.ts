import { api, apiPath } from './client';

/** POST /api/auth/logout → 204: ends this session (the cookie). */
export async function logout(): Promise<void> {
  await api.post(apiPath('/api/auth/logout'));
}
