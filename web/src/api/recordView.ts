import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'recordView', 200>;

/** POST /api/analytics/view/{video_id} — counts one view; answers the new count. */
export async function recordView(videoId: string): Promise<Answer> {
  const res = await api.post<Answer>(apiPath('/api/analytics/view/{video_id}', { video_id: videoId }));
  return res.data;
}
