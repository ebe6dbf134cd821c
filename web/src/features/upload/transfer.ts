// How one file's bytes reach the server, apart from the queue that schedules and shows it. A
// Transfer is resumable: it can find an earlier, unfinished upload of the same file (kept by the
// browser), continue it, pause, and cancel (which also deletes what the server kept).

import type { Visibility } from '@/api/authTypes';

/** The form's fields sent with the file (docs/uploads.md, "Metadata"); unset ones take the server's default. */
export interface UploadMeta {
  title?: string;
  description?: string;
  visibility?: Visibility;
}

/** An earlier upload of the same file that the server still holds. */
export interface PreviousTransfer {
  /** Bytes the server has durably kept. */
  offset: number;
  /** The file's size as declared when that upload started. */
  size: number;
  /** The fields it was started with: they stay the video's, whatever the form says now. */
  meta?: UploadMeta;
}

/** What a transfer reports. None is called after cancel() or pause(). */
export interface TransferHandlers {
  /** Bytes of the file sent so far (counting those the server already had), and the total. */
  onProgress: (sent: number, total: number) => void;
  /** The transfer continues an earlier one: the server already has `offset` bytes, not sent again. */
  onResumedAt: (offset: number) => void;
  /** The last byte is in and the server made it a video. */
  onSuccess: (videoId: string) => void;
  /** A failure retries cannot fix, as a message a person can act on. */
  onError: (message: string) => void;
}

export interface Transfer {
  /** The earlier upload of this file the server still has, or null. */
  findPrevious: () => Promise<PreviousTransfer | null>;
  /**
   * Starts, or continues after pause(). `continuePrevious`: continue what findPrevious() found;
   * false discards it (the server deletes its bytes) and sends the file from its first byte.
   */
  start: (continuePrevious: boolean) => void;
  /** Stops sending; the server keeps what it has, and start() continues from there. */
  pause: () => void;
  /** Stops sending and deletes the upload on the server. */
  cancel: () => Promise<void>;
}

export type TransferFactory = (file: File, meta: UploadMeta, handlers: TransferHandlers) => Transfer;

/**
 * A factory usable at once whose real one is known later (it depends on GET /api/uploads/config):
 * `load` runs when the first transfer is made (not before: a visitor who never uploads never asks),
 * and each call on a transfer waits for it, in order.
 */
export function deferredFactory(load: () => Promise<TransferFactory>): TransferFactory {
  let factory: Promise<TransferFactory> | null = null;
  return (file, meta, handlers) => {
    factory ??= load();
    const inner = factory.then((make) => make(file, meta, handlers));
    const failed = (err: unknown) => handlers.onError(err instanceof Error ? err.message : 'Upload failed.');
    return {
      findPrevious: async () => (await inner).findPrevious(),
      start: (continuePrevious) => void inner.then((t) => t.start(continuePrevious), failed),
      pause: () => void inner.then((t) => t.pause(), failed),
      cancel: async () => (await inner).cancel(),
    };
  };
}
