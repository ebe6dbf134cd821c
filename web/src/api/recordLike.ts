import { api } from './client';
import type { CounterResponse } from './types';

/** POST /api/analytics/like/{video_id} — counts one like; answers the new count. */
export async function recordLike(videoId: string): Promise<CounterResponse> {
  const res = await api.post<CounterResponse>(`/api/analytics/like/${encodeURIComponent(videoId)}`);
  return res.data;
}
