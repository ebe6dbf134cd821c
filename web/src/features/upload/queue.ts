// The upload queue: validation, transfer bookkeeping (progress, speed, time left), cancel, and
// following each upload through processing. Framework-free so it can be unit-tested; the React
// hook in useUploadQueue.ts subscribes to it.

import type { Visibility } from '@/api/authTypes';
import type { UploadResponse, Video, VideoExtension, VideoStatus } from '@/api/types';

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
  | 'queued'
  | 'uploading'
  | 'processing' // uploaded; following the video's status
  | 'done' // PROCESSED
  | 'failed' // upload or processing failed
  | 'cancelled';

export interface UploadItem {
  id: string;
  file: File;
  name: string;
  size: number;
  phase: UploadPhase;
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
}

/** What applies to every file of one add(). */
export interface AddOptions {
  visibility?: Visibility;
}

export interface QueueDeps {
  upload: (
    file: File,
    opts: {
      signal: AbortSignal;
      onProgress: (loaded: number, total: number | undefined) => void;
      visibility?: Visibility;
    },
  ) => Promise<UploadResponse>;
  getVideo: (id: string) => Promise<Video>;
  /**
   * Told what the queue learns of a video: once when its upload is answered, then each time
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
  private readonly controllers = new Map<string, AbortController>();
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

  /** Adds files; invalid ones are listed with their reason and never sent. Returns the new ids. */
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
          phase: error ? 'invalid' : 'queued',
          loaded: 0,
          speed: 0,
          eta: null,
          error,
          videoId: null,
          videoStatus: null,
          processing: 0,
          visibility: options.visibility,
        },
      ];
    }
    this.emit();
    this.pump();
    return ids;
  }

  /** Stops a queued or running upload (or stops following its processing). */
  cancel(id: string): void {
    const item = this.find(id);
    if (!item) return;
    if (item.phase === 'queued' || item.phase === 'uploading') {
      this.controllers.get(id)?.abort();
      this.controllers.delete(id);
      this.update(id, { phase: 'cancelled', speed: 0, eta: null, error: null });
      this.pump();
    }
  }

  /** Removes a finished, failed, invalid or cancelled row (cancelling it first if needed). */
  remove(id: string): void {
    this.cancel(id);
    this.stopPolling(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.emit();
  }

  /** Removes every row that is no longer active. */
  clearFinished(): void {
    for (const item of this.items) {
      if (!['queued', 'uploading', 'processing'].includes(item.phase)) this.stopPolling(item.id);
    }
    this.items = this.items.filter((i) => ['queued', 'uploading', 'processing'].includes(i.phase));
    this.emit();
  }

  /** Aborts everything; used when the page unmounts. */
  dispose(): void {
    this.disposed = true;
    for (const c of this.controllers.values()) c.abort();
    this.controllers.clear();
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

  private pump(): void {
    if (this.disposed) return;
    let running = this.items.filter((i) => i.phase === 'uploading').length;
    for (const item of this.items) {
      if (running >= this.concurrency) break;
      if (item.phase === 'queued') {
        running += 1;
        void this.start(item.id);
      }
    }
  }

  /** Records a progress event and returns the derived speed and ETA. */
  private progress(id: string, loaded: number, total: number): void {
    const list = this.samples.get(id) ?? [];
    list.push({ t: this.now(), loaded });
    while (list.length > 50) list.shift();
    this.samples.set(id, list);
    const speed = computeSpeed(list);
    this.update(id, { loaded, speed, eta: computeEta(loaded, total, speed) });
  }

  private async start(id: string): Promise<void> {
    const item = this.find(id);
    if (!item) return;
    const controller = new AbortController();
    this.controllers.set(id, controller);
    this.samples.set(id, [{ t: this.now(), loaded: 0 }]);
    this.update(id, { phase: 'uploading', loaded: 0, error: null });
    try {
      const res = await this.deps.upload(item.file, {
        signal: controller.signal,
        visibility: item.visibility,
        onProgress: (loaded, total) => {
          if (!controller.signal.aborted) this.progress(id, loaded, total ?? item.size);
        },
      });
      if (controller.signal.aborted) return;
      this.controllers.delete(id);
      const video = res.video;
      this.update(id, {
        phase: 'processing',
        loaded: item.size,
        speed: 0,
        eta: 0,
        videoId: res.video_id,
        videoStatus: video?.status ?? 'UPLOADED',
        processing: video?.progress ?? 0,
      });
      if (video) {
        this.deps.onVideo?.(video);
        this.applyVideo(id, video);
      }
      if (this.find(id)?.phase === 'processing') this.schedulePoll(id);
    } catch (err) {
      this.controllers.delete(id);
      if (controller.signal.aborted || this.find(id)?.phase === 'cancelled') return;
      const message = err instanceof Error ? err.message : 'Upload failed.';
      this.update(id, { phase: 'failed', error: message, speed: 0, eta: null });
    } finally {
      this.pump();
    }
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
