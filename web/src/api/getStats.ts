import { api } from './client';
import type { Stats } from './types';

/** GET /api/analytics/stats — library totals and breakdowns. */
export async function getStats(signal?: AbortSignal): Promise<Stats> {
  const res = await api.get<Stats>('/api/analytics/stats', { signal });
  return res.data;
}
