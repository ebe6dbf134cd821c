// Chooses how the web app sends files, from what GET /api/uploads/config says the deployment
// offers (docs/uploads.md). tus works in every deployment (the server streams into its store,
// S3 multipart included), so it is the choice whenever nothing better is implemented: a
// direct-to-S3 TransferFactory (config.s3_multipart, Uppy's @uppy/aws-s3 endpoints) is one more
// branch here and nothing else changes.

import { getUploadsConfig } from '@/api/getUploadsConfig';
import type { UploadsConfig } from '@/api/uploadsTypes';
import { deferredFactory, type TransferFactory } from './transfer';
import { createTusTransfer, DEFAULT_CHUNK_SIZE, TUS_ENDPOINT, type TusSettings } from './tusTransfer';

export type UploaderKind = 'tus' | 's3-multipart';

/** The way to use for `config` (null: the server did not say; tus is always there). */
export function uploaderKind(config: UploadsConfig | null): UploaderKind {
  return config?.s3_multipart ? 's3-multipart' : 'tus';
}

/** `tusModule`: tests only (see TusSettings). */
export function chooseUploader(config: UploadsConfig | null, tusModule?: TusSettings['tusModule']): TransferFactory {
  const tusSettings: TusSettings = {
    tusModule,
    endpoint: config?.tus?.endpoint || TUS_ENDPOINT,
    chunkSize: config?.tus?.chunk_size && config.tus.chunk_size > 0 ? config.tus.chunk_size : DEFAULT_CHUNK_SIZE,
  };
  switch (uploaderKind(config)) {
    // tus reaches S3 through the server. The direct path (s3MultipartTransfer.ts) is ready but not
    // chosen yet: the page's CSP (connect-src 'self', libs/http/security_headers.cc) blocks its
    // PUTs to the bucket until the server lists the bucket's origin there (media_origins).
    case 's3-multipart':
    case 'tus':
      return createTusTransfer(tusSettings);
  }
}

/** The factory for this server, asked once (at the first file); a server that does not answer the config gets tus. */
export function serverUploader(): TransferFactory {
  return deferredFactory(() =>
    getUploadsConfig().then(
      (config) => chooseUploader(config),
      () => chooseUploader(null),
    ),
  );
}
