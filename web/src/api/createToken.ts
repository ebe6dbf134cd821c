import { api, apiPath } from './client';
import type { CreatedToken, NewToken } from './authTypes';

/** POST /api/auth/tokens → 201. The answer's `token` is the secret; it is never shown again. */
export async function createToken(token: NewToken): Promise<CreatedToken> {
  const res = await api.post<CreatedToken>(apiPath('/api/auth/tokens'), token);
  return res.data;
}
