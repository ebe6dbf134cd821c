import type { AxiosProgressEvent } from 'axios';
import { api, apiPath } from './client';
import type { ResponseBody, UploadFields } from './types';

export interface UploadOptions extends Pick<UploadFields, 'title' | 'description'> {
  signal?: AbortSignal;
  onProgress?: (loaded: number, total: number | undefined) => void;
}

type Answer = ResponseBody<'uploadVideo', 201>;

/** POST /api/uploader/upload — multipart field `file`, optional `title` and `description`. */
export async function uploadVideo(file: File, opts: UploadOptions = {}): Promise<Answer> {
  const form = new FormData();
  form.append('file', file, file.name);
  if (opts.title) form.append('title', opts.title);
  if (opts.description) form.append('description', opts.description);
  const res = await api.post<Answer>(apiPath('/api/uploader/upload'), form, {
    signal: opts.signal,
    timeout: 0, // large files take as long as they take; the user can cancel
    onUploadProgress: (e: AxiosProgressEvent) => opts.onProgress?.(e.loaded, e.total),
  });
  return res.data;
}
