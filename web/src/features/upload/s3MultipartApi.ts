// The wire of direct-to-S3 uploads (docs/uploads.md, "Direct to S3"): Kinora's five
// /api/uploads/s3/multipart endpoints (Uppy's @uppy/aws-s3 companion-style protocol) through the
// app's Axios client, and the part PUT straight to the bucket's presigned URL through
// XMLHttpRequest (the only browser API that reports upload progress).

import { api, apiPath } from '@/api/client';
import type { Video } from '@/api/types';

/** A part the bucket has, as the server lists it and as the browser remembers it. */
export interface UploadedPart {
  PartNumber: number;
  ETag: string;
  Size: number;
}

export interface CreatedUpload {
  uploadId: string;
  /** The object's key, `videos/{video_id}.{ext}`; every later call names it (`?key=`). */
  key: string;
}

export interface CompletedUpload {
  location: string;
  key: string;
  video_id: string;
  video: Video;
}

/** Uppy's creation body; `metadata` carries the form's fields (as tus's Upload-Metadata). */
export interface CreateBody {
  filename: string;
  type: string;
  size: number;
  metadata: Record<string, string>;
}

export interface MultipartApi {
  create: (body: CreateBody) => Promise<CreatedUpload>;
  /** A presigned UploadPart URL for one part (valid for `expires` seconds). */
  signPart: (uploadId: string, key: string, partNumber: number) => Promise<{ url: string; expires: number }>;
  /** The parts S3 has ([] from an S3 without ListParts, such as s3rver). 404 once the upload is gone. */
  listParts: (uploadId: string, key: string) => Promise<UploadedPart[]>;
  complete: (
    uploadId: string,
    key: string,
    parts: Array<{ PartNumber: number; ETag: string }>,
  ) => Promise<CompletedUpload>;
  abort: (uploadId: string, key: string) => Promise<void>;
}

/** Completion probes the whole file before it answers: give it longer than an ordinary call. */
const COMPLETE_TIMEOUT_MS = 120_000;

export function createMultipartApi(): MultipartApi {
  return {
    async create(body) {
      return (await api.post<CreatedUpload>(apiPath('/api/uploads/s3/multipart'), body)).data;
    },
    async signPart(uploadId, key, partNumber) {
      const url = apiPath('/api/uploads/s3/multipart/{uploadId}/{partNumber}', {
        uploadId,
        partNumber: String(partNumber),
      });
      return (await api.get<{ url: string; expires: number }>(url, { params: { key } })).data;
    },
    async listParts(uploadId, key) {
      const url = apiPath('/api/uploads/s3/multipart/{uploadId}', { uploadId });
      return (await api.get<UploadedPart[]>(url, { params: { key } })).data;
    },
    async complete(uploadId, key, parts) {
      const url = apiPath('/api/uploads/s3/multipart/{uploadId}/complete', { uploadId });
      const res = await api.post<CompletedUpload>(url, { parts }, { params: { key }, timeout: COMPLETE_TIMEOUT_MS });
      return res.data;
    },
    async abort(uploadId, key) {
      await api.delete(apiPath('/api/uploads/s3/multipart/{uploadId}', { uploadId }), { params: { key } });
    },
  };
}

/** A part PUT the bucket refused (`status` > 0) or that got no answer (0). */
export class PartUploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'PartUploadError';
  }
}

/** Sends one part's bytes; resolves with the ETag the bucket answered. */
export type PutPart = (
  url: string,
  body: Blob,
  onProgress: (loaded: number) => void,
  signal: AbortSignal,
) => Promise<string>;

/**
 * PUT with XMLHttpRequest. No cookies and no extra headers: the URL's signature is the
 * credential, and a header the signature does not cover would be refused. The bucket's CORS rule
 * must expose `ETag` (docs/deploy.md), else the browser hides it.
 */
export const xhrPutPart: PutPart = (url, body, onProgress, signal) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new PartUploadError(`The storage refused a part (HTTP ${xhr.status}).`, xhr.status));
        return;
      }
      const etag = xhr.getResponseHeader('ETag');
      if (etag) resolve(etag);
      else
        reject(
          new PartUploadError(
            "The storage did not expose the part's ETag (the bucket's CORS rule must expose it).",
            -1,
          ),
        );
    };
    xhr.onerror = () => reject(new PartUploadError('The storage could not be reached.', 0));
    xhr.ontimeout = xhr.onerror;
    xhr.onabort = () => reject(new PartUploadError('The part was not sent (stopped).', -1));
    const stop = () => xhr.abort();
    if (signal.aborted) {
      reject(new PartUploadError('The part was not sent (stopped).', -1));
      return;
    }
    signal.addEventListener('abort', stop, { once: true });
    xhr.onloadend = () => signal.removeEventListener('abort', stop);
    xhr.send(body);
  });
