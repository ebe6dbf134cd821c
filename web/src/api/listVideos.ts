import type { ListVideosAccessParams } from './authTypes';
import { api, apiPath } from './client';
import type { ListVideosParams, ResponseBody } from './types';

export type { ListVideosParams };

type Answer = ResponseBody<'listVideos', 200>;

/**
 * GET /api/analytics/videos — one page of what the caller may see listed; pass `next_cursor` back
 * as `cursor` for the next. `mine: true` lists only the caller's own videos.
 */
export async function listVideos(
  params: ListVideosParams & ListVideosAccessParams = {},
  signal?: AbortSignal,
): Promise<Answer> {
  const query: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    query[k] = typeof v === 'boolean' ? String(v) : v;
  }
  const res = await api.get<Answer>(apiPath('/api/analytics/videos'), { params: query, signal });
  return res.data;
}
