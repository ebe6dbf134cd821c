import { api, apiPath } from './client';
import type { Credentials, UserAnswer } from './authTypes';

/**
 * POST /api/auth/login — on 200 the server sets the `kinora_session` cookie. A wrong name or
 * password is one 401 problem; repeated failures answer 429 with Retry-After.
 */
export async function login(credentials: Credentials): Promise<UserAnswer> {
  const res = await api.post<UserAnswer>(apiPath('/api/auth/login'), credentials);
  return res.data;
}
