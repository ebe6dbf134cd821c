import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'getStats', 200>;

/** GET /api/analytics/stats — library totals and breakdowns. */
export async function getStats(signal?: AbortSignal): Promise<Answer> {
  const res = await api.get<Answer>(apiPath('/api/analytics/stats'), { signal });
  return res.data;
}
