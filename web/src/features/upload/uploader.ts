// Chooses how the web app sends files, from what GET /api/uploads/config says the deployment
// offers (docs/uploads.md). Where the server offers direct-to-S3 multipart (config.s3_multipart,
// Uppy's @uppy/aws-s3 endpoints), the browser PUTs the parts straight to the bucket: the server
// then also lists the bucket's origin in the page's CSP connect-src (its store's presigned
// origin, libs/http/security_headers.h media_origins). tus works in every deployment (the server
// streams into its store), so it is the choice everywhere else.

import { getUploadsConfig } from '@/api/getUploadsConfig';
import type { UploadsConfig } from '@/api/uploadsTypes';
import { createS3MultipartTransfer, type S3MultipartSettings } from './s3MultipartTransfer';
import { deferredFactory, type TransferFactory } from './transfer';
import { createTusTransfer, DEFAULT_CHUNK_SIZE, TUS_ENDPOINT, type TusSettings } from './tusTransfer';

export type UploaderKind = 'tus' | 's3-multipart';

/** The way to use for `config` (null: the server did not say; tus is always there). */
export function uploaderKind(config: UploadsConfig | null): UploaderKind {
  return config?.s3_multipart ? 's3-multipart' : 'tus';
}

/** `tusModule`, `s3`: tests only (see TusSettings, S3MultipartSettings). */
export function chooseUploader(
  config: UploadsConfig | null,
  tusModule?: TusSettings['tusModule'],
  s3: S3MultipartSettings = {},
): TransferFactory {
  switch (uploaderKind(config)) {
    case 's3-multipart':
      return createS3MultipartTransfer(s3);
    case 'tus':
      return createTusTransfer({
        tusModule,
        endpoint: config?.tus?.endpoint || TUS_ENDPOINT,
        chunkSize: config?.tus?.chunk_size && config.tus.chunk_size > 0 ? config.tus.chunk_size : DEFAULT_CHUNK_SIZE,
      });
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
