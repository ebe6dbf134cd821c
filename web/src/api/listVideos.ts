import { api, apiPath } from './client';
import type { ListVideosParams, ResponseBody } from './types';

export type { ListVideosParams };

type Answer = ResponseBody<'listVideos', 200>;

/** GET /api/analytics/videos — one page; pass `next_cursor` back as `cursor` for the next. */
export async function listVideos(params: ListVideosParams = {}, signal?: AbortSignal): Promise<Answer> {
  const query: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') query[k] = v;
  }
  const res = await api.get<Answer>(apiPath('/api/analytics/videos'), { params: query, signal });
  return res.data;
}
