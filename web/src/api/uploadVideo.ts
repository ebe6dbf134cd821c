import type { AxiosProgressEvent } from 'axios';
import type { Visibility } from './authTypes';
import { api, apiPath } from './client';
import type { ResponseBody, UploadFields } from './types';

export interface UploadOptions extends Pick<UploadFields, 'title' | 'description'> {
  /** Omitted: the server's KINORA_DEFAULT_VISIBILITY. */
  visibility?: Visibility;
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | undefined) => void;
}

type Answer = ResponseBody<'uploadVideo', 201>;

/**
 * POST /api/uploader/upload — multipart field `file`, optional `title`, `description` and
 * `visibility`. Needs a signed-in user with the upload right (401 anonymous; 413 with
 * `quota_remaining_bytes` over quota).
 */
export async function uploadVideo(file: File, opts: UploadOptions = {}): Promise<Answer> {
  // The small fields go first, so a server that streams the file knows them before its bytes.
  const form = new FormData();
  if (opts.title) form.append('title', opts.title);
  if (opts.description) form.append('description', opts.description);
  if (opts.visibility) form.append('visibility', opts.visibility);
  form.append('file', file, file.name);
  const res = await api.post<Answer>(apiPath('/api/uploader/upload'), form, {
    signal: opts.signal,
    timeout: 0, // large files take as long as they take; the user can cancel
    onUploadProgress: (e: AxiosProgressEvent) => opts.onProgress?.(e.loaded, e.total),
  });
  return res.data;
}
