import { api, apiPath } from './client';
import type { LikeAnswer } from './authTypes';

/** DELETE /api/analytics/like/{video_id} — takes the user's like back; answers the new count. */
export async function unlikeVideo(videoId: string): Promise<LikeAnswer> {
  const res = await api.delete<LikeAnswer>(apiPath('/api/analytics/like/{video_id}', { video_id: videoId }));
  return res.data;
}
