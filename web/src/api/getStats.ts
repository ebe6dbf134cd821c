import type { StatsScope } from './authTypes';
import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'getStats', 200>;

/**
 * GET /api/analytics/stats — totals and breakdowns. `scope`: `public`, `mine` (the server's default
 * for a signed-in caller) or `all` (see_any_video); anonymous callers always get `public`.
 */
export async function getStats(scope?: StatsScope, signal?: AbortSignal): Promise<Answer> {
  const res = await api.get<Answer>(apiPath('/api/analytics/stats'), { params: scope ? { scope } : {}, signal });
  return res.data;
}
