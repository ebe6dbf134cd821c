import { api } from './client';
import type { DeleteResponse } from './types';

/** DELETE /api/uploader/videos/{video_id} — removes objects, catalog row and counters. */
export async function deleteVideo(videoId: string): Promise<DeleteResponse> {
  const res = await api.delete<DeleteResponse>(`/api/uploader/videos/${encodeURIComponent(videoId)}`);
  return res.data;
}
