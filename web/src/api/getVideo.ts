import { api, apiPath } from './client';
import type { ResponseBody } from './types';

type Answer = ResponseBody<'getVideo', 200>;

/** GET /api/analytics/video/{video_id} — one video with fresh signed media URLs. */
export async function getVideo(videoId: string, signal?: AbortSignal): Promise<Answer> {
  const res = await api.get<Answer>(apiPath('/api/analytics/video/{video_id}', { video_id: videoId }), { signal });
  return res.data;
}
