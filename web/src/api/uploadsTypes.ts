// The resumable uploads' JSON answers (docs/uploads.md), typed by hand until api/openapi.json
// describes /api/uploads; then these become names for the generated types, as in types.ts.

import type { Video } from './types';

/** GET /api/uploads/config: which ways in this deployment offers. */
export interface UploadsConfig {
  tus: {
    /** Where tus uploads are created, e.g. `/api/uploads/`. */
    endpoint: string;
    /** The largest upload the caller may start now (instance limit and remaining quota). */
    max_size: number;
    /** The PATCH size the server suggests. */
    chunk_size: number;
    /** `Upload-Checksum` algorithms it checks (e.g. sha1, sha256, md5). */
    checksum_algorithms?: string[];
  };
  /** Direct-to-S3 multipart (Uppy's @uppy/aws-s3 endpoints) is available. */
  s3_multipart: boolean;
}

/** GET /api/uploads/{upload_id}: one tus upload as Kinora sees it. */
export interface UploadState {
  upload_id: string;
  /** Durable bytes received so far. */
  offset: number;
  length: number;
  /** ISO 8601. */
  expires_at: string | null;
  /** Set once the final PATCH has made the upload a video. */
  video_id: string | null;
  complete: boolean;
  video?: Video | null;
}
