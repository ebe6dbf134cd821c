import { api } from './client';
import type { SortBy, SortOrder, VideoList, VideoStatus } from './types';

export interface ListVideosParams {
  limit?: number;
  cursor?: string;
  offset?: number;
  sort_by?: SortBy;
  order?: SortOrder;
  status?: VideoStatus;
  q?: string;
}

/** GET /api/analytics/videos — one page; pass `next_cursor` back as `cursor` for the next. */
export async function listVideos(params: ListVideosParams = {}, signal?: AbortSignal): Promise<VideoList> {
  const query: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') query[k] = v as string | number;
  }
  const res = await api.get<VideoList>('/api/analytics/videos', { params: query, signal });
  return res.data;
}
