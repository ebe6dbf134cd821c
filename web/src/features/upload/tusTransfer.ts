// Transfers over tus 1.0 (docs/uploads.md, "tus 1.0.0 at /api/uploads/") with tus-js-client:
// chunked PATCHes that retry, and the upload's URL kept in localStorage under the file's
// fingerprint (name, type, size, modification time), so choosing the same file again after a
// reload or a lost connection finds it and continues where the server's offset says.

import * as tus from 'tus-js-client';
import { REQUEST_MARKER_HEADER, newCorrelationId } from '@/api/client';
import { apiErrorFromResponse, UNREACHABLE_MESSAGE } from '@/api/errors';
import { getUploadState, uploadIdFromUrl } from '@/api/getUploadState';
import type { PreviousTransfer, TransferFactory, TransferHandlers, UploadMeta } from './transfer';

export const TUS_ENDPOINT = '/api/uploads/';
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;
/** Waits before each retry of a failed request (tus-js-client retries 5xx, 409, 423, lost connections). */
export const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];
/** The header of the final PATCH (and of a HEAD after it) naming the new video. */
export const VIDEO_ID_HEADER = 'Kinora-Video-Id';

export interface TusSettings {
  endpoint?: string;
  chunkSize?: number;
  /** Tests: another tus implementation (the module's Upload class and urlStorage). */
  tusModule?: Pick<typeof tus, 'Upload' | 'defaultOptions'>;
}

/** Upload-Metadata: the keys Kinora reads; empty values are left out so the server's defaults apply. */
export function tusMetadata(file: File, meta: UploadMeta): Record<string, string> {
  const out: Record<string, string> = { filename: file.name };
  if (file.type) out.filetype = file.type;
  if (meta.title?.trim()) out.title = meta.title.trim();
  if (meta.description?.trim()) out.description = meta.description.trim();
  if (meta.visibility) out.visibility = meta.visibility;
  return out;
}

/** The message for whatever tus-js-client failed with: the problem document's `detail` when the server answered. */
export function tusErrorMessage(err: Error | tus.DetailedError): string {
  const res = 'originalResponse' in err ? err.originalResponse : null;
  if (res) {
    return apiErrorFromResponse(res.getStatus(), res.getBody(), {
      correlationId: res.getHeader('X-Correlation-ID') ?? undefined,
      retryAfter: res.getHeader('Retry-After'),
    }).message;
  }
  if ('originalRequest' in err) return UNREACHABLE_MESSAGE; // a request that got no answer
  return err.message || 'Upload failed.';
}

const VISIBILITIES: readonly string[] = ['public', 'unlisted', 'internal', 'private'];

/** The form's fields back from the Upload-Metadata an earlier upload was created with. */
export function metaOf(metadata: Record<string, string> | null | undefined): UploadMeta {
  const meta: UploadMeta = {};
  if (metadata?.title) meta.title = metadata.title;
  if (metadata?.description) meta.description = metadata.description;
  if (metadata?.visibility && VISIBILITIES.includes(metadata.visibility)) {
    meta.visibility = metadata.visibility as UploadMeta['visibility'];
  }
  return meta;
}

export function createTusTransfer(settings: TusSettings = {}): TransferFactory {
  const lib = settings.tusModule ?? tus;
  return (file: File, meta: UploadMeta, handlers: TransferHandlers) => {
    let previous: tus.PreviousUpload | null = null;
    const options: tus.UploadOptions = {
      endpoint: settings.endpoint ?? TUS_ENDPOINT,
      chunkSize: settings.chunkSize ?? DEFAULT_CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      metadata: tusMetadata(file, meta),
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      // The session cookie goes with every request; the marker is what the server's CSRF check
      // asks of a cookie-authenticated write (docs/auth.md), as the Axios client sends it.
      headers: { [REQUEST_MARKER_HEADER]: '1' },
      onBeforeRequest: (req) => {
        req.setHeader('X-Correlation-ID', newCorrelationId());
        const xhr = req.getUnderlyingObject() as { withCredentials?: boolean } | null;
        if (xhr && typeof xhr === 'object' && 'withCredentials' in xhr) xhr.withCredentials = true;
      },
      onAfterResponse: (req, res) => {
        // A HEAD is how a continued upload learns the server's offset: those bytes are not sent again.
        if (req.getMethod() !== 'HEAD' || res.getStatus() !== 200) return;
        const offset = Number.parseInt(res.getHeader('Upload-Offset') ?? '', 10);
        if (Number.isFinite(offset)) handlers.onResumedAt(offset);
      },
      onProgress: (sent, total) => handlers.onProgress(sent, total),
      onSuccess: ({ lastResponse }) => {
        const videoId = lastResponse.getHeader(VIDEO_ID_HEADER);
        if (videoId) handlers.onSuccess(videoId);
        else handlers.onError('The upload finished but the server did not say which video it became.');
      },
      onError: (err) => handlers.onError(tusErrorMessage(err)),
    };
    const upload = new lib.Upload(file, options);
    const storage = lib.defaultOptions.urlStorage;

    const forget = async (p: tus.PreviousUpload) => {
      await storage.removeUpload(p.urlStorageKey).catch(() => undefined);
    };

    return {
      async findPrevious(): Promise<PreviousTransfer | null> {
        const found = await upload.findPreviousUploads();
        // Newest first: the one most likely to be alive and furthest along.
        found.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime));
        for (const candidate of found) {
          const id = candidate.uploadUrl ? uploadIdFromUrl(candidate.uploadUrl) : null;
          if (!id || candidate.size !== file.size) {
            await forget(candidate);
            continue;
          }
          try {
            const state = await getUploadState(id);
            previous = candidate;
            return { offset: state.offset, size: state.length, meta: metaOf(candidate.metadata) };
          } catch (err) {
            // Gone (expired, terminated, another user's): forget it. Anything else: keep it for later.
            if ((err as { status?: number }).status === 404) await forget(candidate);
            else return null;
          }
        }
        return null;
      },
      start(continuePrevious: boolean) {
        if (previous && !upload.url) {
          if (continuePrevious) {
            upload.resumeFromPreviousUpload(previous);
          } else {
            // Start over: the server drops the old bytes, the browser the old URL.
            const old = previous;
            if (old.uploadUrl) void lib.Upload.terminate(old.uploadUrl, options).catch(() => undefined);
            void forget(old);
          }
          previous = null;
        }
        upload.start();
      },
      pause() {
        void upload.abort(false);
      },
      async cancel() {
        try {
          await upload.abort(true);
        } catch {
          // Terminating is a courtesy: an upload left behind expires (Upload-Expires).
        }
      },
    };
  };
}
