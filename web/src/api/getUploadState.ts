import { api, apiPath } from './client';
import type { UploadState } from './uploadsTypes';

/** The id in a tus upload URL (`/api/uploads/{upload_id}`, relative or absolute), or null. */
export function uploadIdFromUrl(url: string): string | null {
  const match = /\/api\/uploads\/([^/?#]+)\/?(?:[?#].*)?$/.exec(url);
  return match && match[1] !== 'config' ? decodeURIComponent(match[1]) : null;
}

/**
 * GET /api/uploads/{upload_id} — how far an upload of the caller got (404 once it expired, was
 * terminated or belongs to someone else). Sends `Tus-Resumable` like every tus request.
 */
export async function getUploadState(uploadId: string, signal?: AbortSignal): Promise<UploadState> {
  const res = await api.get<UploadState>(apiPath('/api/uploads/{upload_id}', { upload_id: uploadId }), {
    signal,
    headers: { 'Tus-Resumable': '1.0.0' },
  });
  return res.data;
}
