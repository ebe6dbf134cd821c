import { api } from './client';
import type { CounterResponse } from './types';

/** POST /api/analytics/view/{video_id} — counts one view; answers the new count. */
export async function recordView(videoId: string): Promise<CounterResponse> {
  const res = await api.post<CounterResponse>(`/api/analytics/view/${encodeURIComponent(videoId)}`);
  return res.data;
}
