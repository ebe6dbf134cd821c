// Transfers straight to the bucket (docs/uploads.md, "Direct to S3"): create the upload → for
// each part, sign → PUT to the presigned URL (the ETag answers) → complete. A few parts travel at
// once, a failed part is signed and sent again after a delay, and the upload (id, key, part size,
// the parts sent with their ETags, the form's fields) is kept in localStorage under the file's
// fingerprint, as tus-js-client keeps its URL, so choosing the same file after a reload offers to
// continue it. The parts S3 lists are merged with the remembered ones: s3rver has no ListParts,
// and the remembered ETags are then all there is.

import { errorMessage } from '@/api/errors';
import {
  createMultipartApi,
  PartUploadError,
  xhrPutPart,
  type MultipartApi,
  type PutPart,
  type UploadedPart,
} from './s3MultipartApi';
import type { PreviousTransfer, TransferFactory, TransferHandlers, UploadMeta } from './transfer';
import { metaOf, RETRY_DELAYS } from './tusTransfer';

/** S3's smallest part but the last; bigger files get bigger parts (at most 10 000 of them). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
export const DEFAULT_PART_CONCURRENCY = 3;
const STORAGE_PREFIX = 'kinora-s3-upload::';

export interface S3MultipartSettings {
  /** Tests: the endpoints and the bucket. */
  api?: MultipartApi;
  putPart?: PutPart;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  sleep?: (ms: number) => Promise<void>;
  /** Smallest part size (S3 refuses parts under 5 MiB but the last). */
  partSize?: number;
  concurrency?: number;
  retryDelays?: number[];
}

/** What the browser keeps of an unfinished direct upload. */
export interface StoredUpload {
  uploadId: string;
  key: string;
  size: number;
  partSize: number;
  parts: UploadedPart[];
  meta: UploadMeta;
  createdAt: string;
}

export function partSizeFor(size: number, min = MIN_PART_SIZE): number {
  return Math.max(min, Math.ceil(size / MAX_PARTS));
}

/** Like tus-js-client's: the same file chosen again has the same fingerprint. */
export function fingerprint(file: File): string {
  return `${STORAGE_PREFIX}${[file.name, file.type, file.size, file.lastModified].join('::')}`;
}

/** The creation body's metadata: the keys Kinora reads; empty ones left to the server. */
export function createMetadata(file: File, meta: UploadMeta): Record<string, string> {
  const out: Record<string, string> = { name: file.name, type: file.type || 'application/octet-stream' };
  if (meta.title?.trim()) out.title = meta.title.trim();
  if (meta.description?.trim()) out.description = meta.description.trim();
  if (meta.visibility) out.visibility = meta.visibility;
  return out;
}

function statusOf(err: unknown): number {
  return err instanceof PartUploadError ? err.status : ((err as { status?: number }).status ?? 0);
}

/**
 * Worth another try: no answer, throttling, a server error, a lock (423, the server's); from the
 * bucket also a 403 (an expired URL: the retry signs afresh).
 */
function retryable(err: unknown): boolean {
  if ((err as { cancelled?: boolean }).cancelled) return false;
  const s = statusOf(err);
  const bucket = err instanceof PartUploadError;
  return s === 0 || s === 408 || s === 429 || s >= 500 || (bucket ? s === 403 : s === 423);
}

function messageOf(err: unknown): string {
  return err instanceof PartUploadError ? err.message : errorMessage(err);
}

function sumSizes(parts: Iterable<UploadedPart>): number {
  let n = 0;
  for (const p of parts) n += p.Size;
  return n;
}

/** One start()…pause()/cancel()/end; a stopped run calls no handler and sends nothing more. */
interface Run {
  stopped: boolean;
  controller: AbortController;
}

export function createS3MultipartTransfer(settings: S3MultipartSettings = {}): TransferFactory {
  const wire = settings.api ?? createMultipartApi();
  const putPart = settings.putPart ?? xhrPutPart;
  const storage = settings.storage ?? globalThis.localStorage;
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const concurrency = settings.concurrency ?? DEFAULT_PART_CONCURRENCY;
  const delays = settings.retryDelays ?? RETRY_DELAYS;

  return (file: File, meta: UploadMeta, handlers: TransferHandlers) => {
    const storageKey = fingerprint(file);
    /** The upload being sent (after a pause, start() continues it). */
    let current: StoredUpload | null = null;
    /** What findPrevious() found, for start(). */
    let previous: StoredUpload | null = null;
    let run: Run | null = null;

    const load = (): StoredUpload | null => {
      try {
        const text = storage.getItem(storageKey);
        return text ? (JSON.parse(text) as StoredUpload) : null;
      } catch {
        return null;
      }
    };
    const save = (u: StoredUpload) => {
      try {
        storage.setItem(storageKey, JSON.stringify(u));
      } catch {
        // Full or refused storage: the upload still goes, it just cannot be continued after a reload.
      }
    };
    const forget = () => storage.removeItem(storageKey);
    const abortOnServer = (u: StoredUpload) => void wire.abort(u.uploadId, u.key).catch(() => undefined);

    /** Runs `step`, retrying what is worth retrying after each of the delays; throws the last failure. */
    async function withRetries<T>(stopped: () => boolean, step: () => Promise<T>): Promise<T> {
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await step();
        } catch (err) {
          if (stopped() || attempt >= delays.length || !retryable(err)) throw err;
          await sleep(delays[attempt]);
          if (stopped()) throw err;
        }
      }
    }

    async function send(r: Run, u: StoredUpload): Promise<void> {
      const count = Math.max(1, Math.ceil(u.size / u.partSize));
      const done = new Map(u.parts.map((p) => [p.PartNumber, p]));
      const pending: number[] = [];
      for (let n = 1; n <= count; n += 1) if (!done.has(n)) pending.push(n);
      const inFlight = new Map<number, number>();
      let failure: { err: unknown } | null = null;
      const halted = () => r.stopped || failure !== null;
      const report = () => {
        if (halted()) return;
        let sent = sumSizes(done.values());
        for (const loaded of inFlight.values()) sent += loaded;
        handlers.onProgress(Math.min(sent, u.size), u.size);
      };

      const sendPart = async (n: number) => {
        const start = (n - 1) * u.partSize;
        const blob = file.slice(start, Math.min(start + u.partSize, u.size));
        const etag = await withRetries(halted, async () => {
          inFlight.set(n, 0);
          // Signed afresh on each try: a retry after a long wait may outlive the URL.
          const signed = await wire.signPart(u.uploadId, u.key, n);
          if (halted()) throw new PartUploadError('stopped', -1);
          const onProgress = (loaded: number) => {
            inFlight.set(n, loaded);
            report();
          };
          return putPart(signed.url, blob, onProgress, r.controller.signal);
        });
        inFlight.delete(n);
        if (halted()) return;
        done.set(n, { PartNumber: n, ETag: etag, Size: blob.size });
        u.parts = [...done.values()].sort((a, b) => a.PartNumber - b.PartNumber);
        save(u);
        report();
      };

      const worker = async () => {
        for (let n = pending.shift(); n !== undefined && !halted(); n = pending.shift()) {
          try {
            await sendPart(n);
          } catch (err) {
            // One part that cannot be sent fails the transfer: the others stop (the parts sent stay).
            if (!failure) failure = { err };
            r.controller.abort();
          }
        }
      };
      report();
      await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
      if (failure) throw (failure as { err: unknown }).err;
    }

    async function go(r: Run, continuePrevious: boolean): Promise<void> {
      if (current) {
        handlers.onResumedAt(sumSizes(current.parts)); // after a pause: parts cut short are sent again
      } else if (previous) {
        const old = previous;
        previous = null;
        if (continuePrevious) {
          current = old;
          handlers.onResumedAt(sumSizes(old.parts));
        } else {
          abortOnServer(old); // start over: the server drops the old upload
          forget();
        }
      }
      if (!current) {
        const partSize = partSizeFor(file.size, settings.partSize);
        const created = await withRetries(
          () => r.stopped,
          () =>
            wire.create({
              filename: file.name,
              type: file.type || 'application/octet-stream',
              size: file.size,
              metadata: createMetadata(file, meta),
            }),
        );
        if (r.stopped) {
          abortOnServer({ ...created, size: file.size, partSize, parts: [], meta, createdAt: '' });
          return;
        }
        current = { ...created, size: file.size, partSize, parts: [], meta, createdAt: new Date().toISOString() };
        save(current);
      }
      const u = current;
      await send(r, u);
      if (r.stopped) return;
      const parts = u.parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
      const completed = await withRetries(
        () => r.stopped,
        () => wire.complete(u.uploadId, u.key, parts),
      );
      forget();
      current = null;
      if (!r.stopped) handlers.onSuccess(completed.video_id);
    }

    const stop = () => {
      if (!run) return;
      run.stopped = true;
      run.controller.abort();
      run = null;
    };

    return {
      async findPrevious(): Promise<PreviousTransfer | null> {
        const stored = load();
        if (!stored) return null;
        if (stored.size !== file.size || !stored.uploadId || !stored.key || !(stored.partSize > 0)) {
          forget();
          return null;
        }
        let listed: UploadedPart[];
        try {
          listed = await wire.listParts(stored.uploadId, stored.key);
        } catch (err) {
          // Gone (finished, expired, aborted, another user's): forget it. Anything else: keep it for later.
          if (statusOf(err) === 404) forget();
          return null;
        }
        // What S3 lists is the truth; what it does not list (s3rver lists nothing) is remembered.
        const parts = new Map(stored.parts.map((p) => [p.PartNumber, p]));
        for (const p of listed) parts.set(p.PartNumber, { PartNumber: p.PartNumber, ETag: p.ETag, Size: p.Size });
        stored.parts = [...parts.values()].sort((a, b) => a.PartNumber - b.PartNumber);
        previous = stored;
        return {
          offset: sumSizes(stored.parts),
          size: stored.size,
          meta: metaOf(stored.meta as Record<string, string>),
        };
      },
      start(continuePrevious: boolean) {
        stop();
        const r: Run = { stopped: false, controller: new AbortController() };
        run = r;
        go(r, continuePrevious).then(
          () => {
            if (run === r) run = null;
          },
          (err: unknown) => {
            if (r.stopped) return;
            run = null;
            const status = statusOf(err);
            // The server refused the upload for good (gone, not a video, wrong size): start afresh next time.
            if (current && status >= 400 && status < 500 && status !== 403 && status !== 429) {
              forget();
              current = null;
            }
            handlers.onError(messageOf(err));
          },
        );
      },
      pause() {
        stop();
      },
      async cancel() {
        stop();
        const u = current ?? previous;
        current = null;
        previous = null;
        forget();
        // Aborting is a courtesy: an upload left behind expires, and the bucket's lifecycle rule
        // removes its parts.
        if (u) await wire.abort(u.uploadId, u.key).catch(() => undefined);
      },
    };
  };
}
