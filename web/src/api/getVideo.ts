import { api } from './client';
import type { Video } from './types';

/** GET /api/analytics/video/{video_id} — one video with fresh signed media URLs. */
export async function getVideo(videoId: string, signal?: AbortSignal): Promise<Video> {
  const res = await api.get<Video>(`/api/analytics/video/${encodeURIComponent(videoId)}`, { signal });
  return res.data;
}
