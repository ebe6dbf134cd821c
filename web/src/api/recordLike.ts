import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'recordLike', 200>;

/** POST /api/analytics/like/{video_id} — counts one like; answers the new count. */
export async function recordLike(videoId: string): Promise<Answer> {
  const res = await api.post<Answer>(apiPath('/api/analytics/like/{video_id}', { video_id: videoId }));
  return res.data;
}
