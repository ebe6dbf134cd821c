import { api, apiPath } from './client';

/** POST /api/auth/logout-all → 204: ends every session of the user, this one included. */
export async function logoutAll(): Promise<void> {
  await api.post(apiPath('/api/auth/logout-all'));
}
