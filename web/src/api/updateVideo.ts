import { api, apiPath } from './client';
import type { VideoEdit } from './authTypes';
import type { Video } from './types';

/**
 * PATCH /api/uploader/videos/{video_id} → 200 with the video. Owner, moderators, admins (403 for
 * others who can watch it). A visibility change invalidates every media URL handed out before.
 */
export async function updateVideo(videoId: string, edit: VideoEdit): Promise<Video> {
  const res = await api.patch<Video>(apiPath('/api/uploader/videos/{video_id}', { video_id: videoId }), edit);
  return res.data;
}
