import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'deleteVideo', 200>;

/** DELETE /api/uploader/videos/{video_id} — removes objects, catalog row and counters. */
export async function deleteVideo(videoId: string): Promise<Answer> {
  const res = await api.delete<Answer>(apiPath('/api/uploader/videos/{video_id}', { video_id: videoId }));
  return res.data;
}
