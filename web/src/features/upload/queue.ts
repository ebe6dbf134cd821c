// The upload queue: validation, the offer to continue a file partly sent before, transfer
// bookkeeping (progress, speed, time left, where a continued upload resumed), pause, cancel, and
// following each upload through processing. Framework-free so it can be unit-tested; the React
// hook in useUploadQueue.ts subscribes to it, and the bytes travel through a Transfer
// (transfer.ts; tus in tusTransfer.ts).

import type { Visibility } from '@/api/authTypes';
import type { Video, VideoExtension, VideoStatus } from '@/api/types';
import type { PreviousTransfer, Transfer, TransferFactory } from './transfer';

// The extensions the server accepts: exactly the OpenAPI document's `file_extension` enum (a
// Record over the generated union, so tsc refuses one missing or one too many).
const EXTENSIONS: Record<VideoExtension, true> = {
  mp4: true,
  mov: true,
  avi: true,
  webm: true,
  mkv: true,
  flv: true,
  wmv: true,
  m4v: true,
};
export const ALLOWED_EXTENSIONS = Object.keys(EXTENSIONS) as readonly VideoExtension[];
export const DEFAULT_MAX_BYTES = 500 * 1024 * 1024;

export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** Returns why `file` cannot be uploaded, or null when it can. Mirrors the server's checks. */
export function validateFile(file: { name: string; size: number }, maxBytes = DEFAULT_MAX_BYTES): string | null {
  const ext = fileExtension(file.name);
  if (!ext) {
    return `"${file.name}" has no file extension. Supported: ${ALLOWED_EXTENSIONS.join(', ')}.`;
  }
  if (!(ALLOWED_EXTENSIONS as readonly string[]).includes(ext)) {
    return `.${ext} files are not supported. Supported: ${ALLOWED_EXTENSIONS.join(', ')}.`;
  }
  if (file.size <= 0) return `"${file.name}" is empty.`;
  if (file.size > maxBytes) {
    return `"${file.name}" is ${mb(file.size)}, over the ${mb(maxBytes)} limit.`;
  }
  return null;
}

export interface Sample {
  /** Milliseconds (any monotonic clock). */
  t: number;
  /** Bytes sent so far. */
  loaded: number;
}

/** Average bytes/s over the samples within `windowMs` of the newest one; 0 when unknown. */
export function computeSpeed(samples: Sample[], windowMs = 3000): number {
  if (samples.length < 2) return 0;
  const last = samples[samples.length - 1];
  let first = samples[0];
  for (const s of samples) {
    if (last.t - s.t <= windowMs) {
      first = s;
      break;
    }
  }
  if (first === last) first = samples[samples.length - 2];
  const dt = (last.t - first.t) / 1000;
  const db = last.loaded - first.loaded;
  return dt > 0 && db > 0 ? db / dt : 0;
}

/** Seconds left at `speed` bytes/s, or null when it cannot be estimated. */
export function computeEta(loaded: number, total: number, speed: number): number | null {
  if (!(speed > 0) || !(total > 0)) return null;
  return Math.max(0, total - loaded) / speed;
}

export type UploadPhase =
  | 'invalid' // rejected before sending
  | 'checking' // asking whether an earlier upload of this file can be continued
  | 'resumable' // partly uploaded before: waiting for Continue or Start over
  | 'queued'
  | 'uploading'
  | 'paused'
  | 'processing' // uploaded; following the video's status
  | 'done' // PROCESSED
  | 'failed' // upload or processing failed
  | 'cancelled';

/** Phases in which the file is not yet all sent and the row still needs the person's page. */
export const SENDING_PHASES: readonly UploadPhase[] = ['checking', 'resumable', 'queued', 'uploading', 'paused'];
/** Phases of a row that is still doing something (Clear finished keeps them). */
const ACTIVE_PHASES: readonly UploadPhase[] = [...SENDING_PHASES, 'processing'];

export interface UploadItem {
  id: string;
  file: File;
  name: string;
  size: number;
  phase: UploadPhase;
  /** Bytes of the file the server has or is being sent (a continued upload starts above 0). */
  loaded: number;
  speed: number;
  eta: number | null;
  error: string | null;
  videoId: string | null;
  videoStatus: VideoStatus | null;
  /** Server-side processing progress, 0–1. */
  processing: number;
  /** Sent with the file; undefined leaves it to the server's default. */
  visibility?: Visibility;
  title?: string;
  description?: string;
  /** The earlier upload on offer while `phase` is 'resumable'. */
  previous: PreviousTransfer | null;
  /** Where the current transfer continued from (bytes not sent again); null for a fresh one. */
  resumedAt: number | null;
}

/** What applies to every file of one add(). */
export interface AddOptions {
  visibility?: Visibility;
  title?: string;
  description?: string;
}

export interface QueueDeps {
  /** Makes the transfer of one file (serverUploader() in the app). */
  createTransfer: TransferFactory;
  getVideo: (id: string) => Promise<Video>;
  /**
   * Told what the queue learns of a video: once when its upload is done, then each time
   * following its processing sees a new status (so lists and totals elsewhere can refresh).
   */
  onVideo?: (video: Video) => void;
  now?: () => number;
  /** Delay between status polls while a video processes. */
  pollMs?: number;
  /** Uploads sent at once. */
  concurrency?: number;
  maxBytes?: number;
}

type Listener = (items: UploadItem[]) => void;

let seq = 0;

export class UploadQueue {
  private items: UploadItem[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly transfers = new Map<string, Transfer>();
  /** Whether the next start of a row continues its earlier upload. */
  private readonly continuing = new Map<string, boolean>();
  private readonly samples = new Map<string, Sample[]>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly concurrency: number;
  private readonly maxBytes: number;
  private disposed = false;

  constructor(private readonly deps: QueueDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.pollMs = deps.pollMs ?? 1500;
    this.concurrency = deps.concurrency ?? 2;
    this.maxBytes = deps.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  getItems(): UploadItem[] {
    return this.items;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Adds files; invalid ones are listed with their reason and never sent. Each valid file is first
   * checked for an earlier upload to continue. Returns the new ids.
   */
  add(files: Iterable<File>, options: AddOptions = {}): string[] {
    const ids: string[] = [];
    for (const file of files) {
      const error = validateFile(file, this.maxBytes);
      seq += 1;
      const id = `u${Date.now().toString(36)}-${seq}`;
      ids.push(id);
      this.items = [
        ...this.items,
        {
          id,
          file,
          name: file.name,
          size: file.size,
          phase: error ? 'invalid' : 'checking',
          loaded: 0,
          speed: 0,
          eta: null,
          error,
          videoId: null,
          videoStatus: null,
          processing: 0,
          visibility: options.visibility,
          title: options.title,
          description: options.description,
          previous: null,
          resumedAt: null,
        },
      ];
      if (!error) void this.check(id);
    }
    this.emit();
    return ids;
  }

  /** Continues the earlier upload a 'resumable' row offers. */
  continuePrevious(id: string): void {
    const item = this.find(id);
    if (item?.phase !== 'resumable') return;
    this.continuing.set(id, true);
    // The server keeps the fields the upload was created with; show those.
    const meta = item.previous?.meta ?? {};
    this.update(id, {
      phase: 'queued',
      visibility: meta.visibility ?? item.visibility,
      title: meta.title ?? item.title,
      description: meta.description ?? item.description,
    });
    this.pump();
  }

  /** Sends a 'resumable' row's file from its first byte; the earlier upload is deleted. */
  startOver(id: string): void {
    if (this.find(id)?.phase !== 'resumable') return;
    this.continuing.set(id, false);
    this.update(id, { phase: 'queued', previous: null, loaded: 0 });
    this.pump();
  }

  /** Stops sending an upload; the server keeps what it has for resume(). */
  pause(id: string): void {
    if (this.find(id)?.phase !== 'uploading') return;
    this.transfers.get(id)?.pause();
    this.continuing.set(id, true);
    this.update(id, { phase: 'paused', speed: 0, eta: null });
    this.pump();
  }

  /** Continues a paused upload (in its turn, if others are running). */
  resume(id: string): void {
    if (this.find(id)?.phase !== 'paused') return;
    this.update(id, { phase: 'queued' });
    this.pump();
  }

  /** Stops an upload that is not all sent and deletes what the server kept of it. */
  cancel(id: string): void {
    const item = this.find(id);
    if (!item || !SENDING_PHASES.includes(item.phase)) return;
    const transfer = this.transfers.get(id);
    this.transfers.delete(id);
    // An offer not taken up stays on the server (it expires), so the file can still be continued.
    if (transfer && item.phase !== 'resumable' && item.phase !== 'checking') void transfer.cancel();
    this.update(id, { phase: 'cancelled', speed: 0, eta: null, error: null, previous: null });
    this.pump();
  }

  /** Removes a row (cancelling it first if needed). */
  remove(id: string): void {
    this.cancel(id);
    this.stopPolling(id);
    this.forgetRow(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.emit();
  }

  /** Removes every row that is no longer active. */
  clearFinished(): void {
    for (const item of this.items) {
      if (!ACTIVE_PHASES.includes(item.phase)) {
        this.stopPolling(item.id);
        this.forgetRow(item.id);
      }
    }
    this.items = this.items.filter((i) => ACTIVE_PHASES.includes(i.phase));
    this.emit();
  }

  /** Stops everything; used when the page unmounts. Paused uploads stay on the server to continue. */
  dispose(): void {
    this.disposed = true;
    for (const t of this.transfers.values()) t.pause();
    this.transfers.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.listeners.clear();
  }

  private find(id: string): UploadItem | undefined {
    return this.items.find((i) => i.id === id);
  }

  private update(id: string, patch: Partial<UploadItem>): void {
    this.items = this.items.map((i) => (i.id === id ? { ...i, ...patch } : i));
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l(this.items);
  }

  private forgetRow(id: string): void {
    this.transfers.delete(id);
    this.continuing.delete(id);
    this.samples.delete(id);
  }

  private pump(): void {
    if (this.disposed) return;
    let running = this.items.filter((i) => i.phase === 'uploading').length;
    for (const item of this.items) {
      if (running >= this.concurrency) break;
      if (item.phase === 'queued') {
        running += 1;
        this.start(item.id);
      }
    }
  }

  /** The transfer of a row, made once with handlers that ignore it once it stopped uploading. */
  private transferFor(item: UploadItem): Transfer {
    const existing = this.transfers.get(item.id);
    if (existing) return existing;
    const id = item.id;
    const live = () => this.find(id)?.phase === 'uploading' && this.transfers.get(id) === transfer;
    const transfer = this.deps.createTransfer(
      item.file,
      { title: item.title, description: item.description, visibility: item.visibility },
      {
        onProgress: (sent, total) => {
          if (live()) this.progress(id, sent, total || item.size);
        },
        onResumedAt: (offset) => {
          if (!live()) return;
          this.samples.set(id, [{ t: this.now(), loaded: offset }]);
          this.update(id, { resumedAt: offset > 0 ? offset : null, loaded: offset });
        },
        onSuccess: (videoId) => {
          if (live()) this.finished(id, videoId);
        },
        onError: (message) => {
          if (!live()) return;
          this.transfers.delete(id);
          this.update(id, { phase: 'failed', error: message, speed: 0, eta: null });
          this.pump();
        },
      },
    );
    this.transfers.set(id, transfer);
    return transfer;
  }

  /** Asks whether the server still has part of this file from an earlier try. */
  private async check(id: string): Promise<void> {
    const item = this.find(id);
    if (!item) return;
    const transfer = this.transferFor(item);
    let previous: PreviousTransfer | null = null;
    try {
      previous = await transfer.findPrevious();
    } catch {
      previous = null; // nothing to offer; send it afresh
    }
    if (this.disposed || this.find(id)?.phase !== 'checking') return;
    if (previous && previous.offset > 0 && previous.size === item.size) {
      this.update(id, { phase: 'resumable', previous, loaded: previous.offset });
    } else {
      // Nothing worth offering (or an upload that never got a byte): continuing it costs nothing.
      this.continuing.set(id, previous !== null);
      this.update(id, { phase: 'queued' });
      this.pump();
    }
  }

  /** Records a progress event and derives the speed and ETA. */
  private progress(id: string, loaded: number, total: number): void {
    const list = this.samples.get(id) ?? [];
    list.push({ t: this.now(), loaded });
    while (list.length > 50) list.shift();
    this.samples.set(id, list);
    const speed = computeSpeed(list);
    this.update(id, { loaded, speed, eta: computeEta(loaded, total, speed) });
  }

  private start(id: string): void {
    const item = this.find(id);
    if (!item) return;
    const transfer = this.transferFor(item);
    this.samples.set(id, [{ t: this.now(), loaded: item.loaded }]);
    this.update(id, { phase: 'uploading', error: null, previous: null });
    transfer.start(this.continuing.get(id) ?? false);
  }

  private finished(id: string, videoId: string): void {
    this.transfers.delete(id);
    this.continuing.delete(id);
    const item = this.find(id);
    this.update(id, {
      phase: 'processing',
      loaded: item?.size ?? 0,
      speed: 0,
      eta: 0,
      videoId,
      videoStatus: null,
      processing: 0,
    });
    this.pump();
    void this.poll(id);
  }

  private applyVideo(id: string, video: Video): void {
    if (video.status === 'PROCESSED') {
      this.update(id, { phase: 'done', videoStatus: video.status, processing: 1 });
    } else if (video.status === 'FAILED') {
      this.update(id, {
        phase: 'failed',
        videoStatus: video.status,
        error: video.error || 'Processing failed.',
      });
    } else {
      this.update(id, { videoStatus: video.status, processing: video.progress ?? 0 });
    }
  }

  private schedulePoll(id: string): void {
    if (this.disposed) return;
    this.stopPolling(id);
    const timer = setTimeout(() => void this.poll(id), this.pollMs);
    this.timers.set(id, timer);
  }

  private stopPolling(id: string): void {
    const t = this.timers.get(id);
    if (t) clearTimeout(t);
    this.timers.delete(id);
  }

  private async poll(id: string): Promise<void> {
    this.timers.delete(id);
    const item = this.find(id);
    if (!item || item.phase !== 'processing' || !item.videoId) return;
    try {
      const video = await this.deps.getVideo(item.videoId);
      if (video.status !== this.find(id)?.videoStatus) this.deps.onVideo?.(video);
      this.applyVideo(id, video);
    } catch {
      // A transient error while following processing: keep trying.
    }
    if (this.find(id)?.phase === 'processing') this.schedulePoll(id);
  }
}
