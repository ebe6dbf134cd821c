import { api, apiPath } from './client';
import type { LikeAnswer } from './authTypes';

/** POST /api/analytics/like/{video_id} — one like per user, idempotent; answers the new count. */
export async function likeVideo(videoId: string): Promise<LikeAnswer> {
  const res = await api.post<LikeAnswer>(apiPath('/api/analytics/like/{video_id}', { video_id: videoId }));
  return res.data;
}
