import { api, apiPath } from './client';
import type { Me } from './authTypes';
import { ApiError } from './errors';

/** GET /api/auth/me — who is signed in; `null` for an anonymous caller (the server's 401). */
export async function getMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const res = await api.get<Me>(apiPath('/api/auth/me'), { signal });
    return res.data;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}
