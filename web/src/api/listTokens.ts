import { api, apiPath } from './client';
import type { TokenList } from './authTypes';

/** GET /api/auth/tokens — the user's personal API tokens (never their secrets). */
export async function listTokens(signal?: AbortSignal): Promise<TokenList> {
  const res = await api.get<TokenList>(apiPath('/api/auth/tokens'), { signal });
  return res.data;
}
