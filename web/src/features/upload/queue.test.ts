import type { Video } from '@/api/types';
import type { PreviousTransfer, TransferHandlers, UploadMeta } from './transfer';
import {
  ALLOWED_EXTENSIONS,
  DEFAULT_MAX_BYTES,
  UploadQueue,
  computeEta,
  computeSpeed,
  fileExtension,
  validateFile,
} from './queue';

function fakeFile(name: string, size: number): File {
  const f = new File(['x'], name, { type: 'video/mp4' });
  Object.defineProperty(f, 'size', { value: size });
  return f;
}

function video(id: string, patch: Partial<Video> = {}): Video {
  return { video_id: id, status: 'UPLOADED', progress: 0, error: null, ...patch } as Video;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/** A transfer the test drives: it records calls and exposes the handlers the queue gave it. */
interface FakeTransfer {
  file: File;
  meta: UploadMeta;
  handlers: TransferHandlers;
  starts: boolean[];
  paused: number;
  cancelled: number;
}

function fakeTransfers(previous: (file: File) => PreviousTransfer | null = () => null) {
  const made: FakeTransfer[] = [];
  const createTransfer = vi.fn((file: File, meta: UploadMeta, handlers: TransferHandlers) => {
    const t: FakeTransfer = { file, meta, handlers, starts: [], paused: 0, cancelled: 0 };
    made.push(t);
    return {
      findPrevious: async () => previous(file),
      start: (continuePrevious: boolean) => void t.starts.push(continuePrevious),
      pause: () => void (t.paused += 1),
      cancel: async () => void (t.cancelled += 1),
    };
  });
  const byName = (name: string) => made.find((t) => t.file.name === name)!;
  return { createTransfer, made, byName };
}

describe('validateFile', () => {
  it('accepts every supported extension, case-insensitively', () => {
    for (const ext of ALLOWED_EXTENSIONS) {
      expect(validateFile({ name: `clip.${ext}`, size: 10 })).toBeNull();
      expect(validateFile({ name: `CLIP.${ext.toUpperCase()}`, size: 10 })).toBeNull();
    }
  });
  it('rejects other extensions and names without one', () => {
    expect(validateFile({ name: 'notes.txt', size: 10 })).toMatch(/\.txt files are not supported/);
    expect(validateFile({ name: 'README', size: 10 })).toMatch(/no file extension/);
    expect(validateFile({ name: '.mp4', size: 10 })).toMatch(/no file extension/);
  });
  it('rejects empty and oversized files', () => {
    expect(validateFile({ name: 'a.mp4', size: 0 })).toMatch(/empty/);
    expect(validateFile({ name: 'a.mp4', size: DEFAULT_MAX_BYTES })).toBeNull();
    expect(validateFile({ name: 'a.mp4', size: DEFAULT_MAX_BYTES + 1 })).toMatch(/over the 500 MB limit/);
    expect(validateFile({ name: 'a.mp4', size: 2048 }, 1024)).toMatch(/limit/);
  });
  it('extracts extensions', () => {
    expect(fileExtension('a.b.MKV')).toBe('mkv');
    expect(fileExtension('noext')).toBe('');
  });
});

describe('speed and ETA', () => {
  it('averages over the window', () => {
    const samples = [
      { t: 0, loaded: 0 },
      { t: 1000, loaded: 1000 },
      { t: 2000, loaded: 3000 },
      { t: 5000, loaded: 9000 },
    ];
    // Window 3 s back from t=5000 starts at t=2000: 6000 B over 3 s.
    expect(computeSpeed(samples, 3000)).toBe(2000);
    // A wide window covers all samples: 9000 B over 5 s.
    expect(computeSpeed(samples, 10_000)).toBe(1800);
  });
  it('uses the last two samples when the window holds one', () => {
    expect(
      computeSpeed(
        [
          { t: 0, loaded: 0 },
          { t: 10_000, loaded: 5000 },
        ],
        1000,
      ),
    ).toBe(500);
  });
  it('is 0 without enough data', () => {
    expect(computeSpeed([])).toBe(0);
    expect(computeSpeed([{ t: 0, loaded: 5 }])).toBe(0);
    expect(
      computeSpeed([
        { t: 0, loaded: 5 },
        { t: 0, loaded: 10 },
      ]),
    ).toBe(0);
  });
  it('estimates time left', () => {
    expect(computeEta(250, 1000, 250)).toBe(3);
    expect(computeEta(1000, 1000, 250)).toBe(0);
    expect(computeEta(0, 1000, 0)).toBeNull();
  });
});

describe('UploadQueue', () => {
  it('lists invalid files with a reason and never sends them', () => {
    const { createTransfer } = fakeTransfers();
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn() });
    q.add([fakeFile('doc.pdf', 10), fakeFile('huge.mp4', DEFAULT_MAX_BYTES + 1)]);
    expect(q.getItems().map((i) => i.phase)).toEqual(['invalid', 'invalid']);
    expect(q.getItems()[0].error).toMatch(/not supported/);
    expect(createTransfer).not.toHaveBeenCalled();
  });

  it('sends the form fields, tracks progress, speed and ETA, then follows processing to PROCESSED', async () => {
    let t = 0;
    const { createTransfer, made } = fakeTransfers();
    const getVideo = vi
      .fn()
      .mockResolvedValueOnce(video('v1', { status: 'UPLOADED' }))
      .mockResolvedValueOnce(video('v1', { status: 'PROCESSING', progress: 0.5 }))
      .mockResolvedValueOnce(video('v1', { status: 'PROCESSED', progress: 1 }));
    const onVideo = vi.fn<(v: Video) => void>();
    const q = new UploadQueue({ createTransfer, getVideo, onVideo, now: () => t, pollMs: 1 });
    const [id] = q.add([fakeFile('a.mp4', 4000)], { visibility: 'unlisted', title: 'A walk' });
    expect(q.getItems()[0].phase).toBe('checking');
    await flush();
    expect(q.getItems()[0].phase).toBe('uploading');
    expect(made[0].meta).toEqual({ visibility: 'unlisted', title: 'A walk', description: undefined });
    expect(made[0].starts).toEqual([false]);

    t = 1000;
    made[0].handlers.onProgress(1000, 4000);
    t = 2000;
    made[0].handlers.onProgress(2000, 4000);
    const row = q.getItems()[0];
    expect(row.loaded).toBe(2000);
    expect(row.speed).toBe(1000); // 2000 B over 2 s
    expect(row.eta).toBe(2); // 2000 B left at 1000 B/s
    expect(row.resumedAt).toBeNull();

    made[0].handlers.onSuccess('v1');
    expect(q.getItems()[0]).toMatchObject({ id, phase: 'processing', videoId: 'v1', loaded: 4000 });

    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('done'));
    expect(getVideo).toHaveBeenCalledWith('v1');
    expect(onVideo.mock.calls.map(([v]) => v.status)).toEqual(['UPLOADED', 'PROCESSING', 'PROCESSED']);
    q.dispose();
  });

  it("offers to continue a partly uploaded file and continues it from the server's offset", async () => {
    let t = 0;
    const { createTransfer, made } = fakeTransfers(() => ({
      offset: 3000,
      size: 10_000,
      meta: { visibility: 'unlisted', title: 'The long one' },
    }));
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn(() => new Promise<Video>(() => {})), now: () => t });
    const [id] = q.add([fakeFile('long.mp4', 10_000)], { visibility: 'public' });
    await flush();
    expect(q.getItems()[0]).toMatchObject({
      phase: 'resumable',
      previous: { offset: 3000, size: 10_000 },
      loaded: 3000,
    });
    expect(made[0].starts).toEqual([]);

    q.continuePrevious(id);
    // The row shows what the server keeps: the fields the upload was created with.
    expect(q.getItems()[0]).toMatchObject({ phase: 'uploading', visibility: 'unlisted', title: 'The long one' });
    expect(made[0].starts).toEqual([true]);
    made[0].handlers.onResumedAt(3000);
    t = 1000;
    made[0].handlers.onProgress(5000, 10_000);
    // Speed counts only what was sent now: 2000 B in 1 s, not the 3000 B the server had.
    expect(q.getItems()[0]).toMatchObject({ resumedAt: 3000, loaded: 5000, speed: 2000 });
    q.dispose();
  });

  it('starts over when asked, and sends a file whose earlier upload has no byte without asking', async () => {
    const previous = (f: File) => (f.name === 'empty-start.mp4' ? { offset: 0, size: 100 } : { offset: 50, size: 100 });
    const { createTransfer, byName } = fakeTransfers(previous);
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn(), concurrency: 5 });
    const [again] = q.add([fakeFile('again.mp4', 100), fakeFile('empty-start.mp4', 100)]);
    await flush();
    expect(q.getItems().map((i) => i.phase)).toEqual(['resumable', 'uploading']);
    expect(byName('empty-start.mp4').starts).toEqual([true]);

    q.startOver(again);
    expect(q.getItems()[0]).toMatchObject({ phase: 'uploading', loaded: 0, previous: null });
    expect(byName('again.mp4').starts).toEqual([false]);
    q.dispose();
  });

  it('pauses and resumes an upload, and ignores what the transfer says while paused', async () => {
    const { createTransfer, made } = fakeTransfers();
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn() });
    const [id] = q.add([fakeFile('p.mp4', 1000)]);
    await flush();
    made[0].handlers.onProgress(400, 1000);
    q.pause(id);
    expect(made[0].paused).toBe(1);
    expect(q.getItems()[0]).toMatchObject({ phase: 'paused', loaded: 400 });
    made[0].handlers.onProgress(500, 1000);
    expect(q.getItems()[0].loaded).toBe(400);

    q.resume(id);
    expect(q.getItems()[0].phase).toBe('uploading');
    expect(made[0].starts).toEqual([false, true]);
    expect(createTransfer).toHaveBeenCalledTimes(1); // the same transfer continues
    q.dispose();
  });

  it('reports processing failures with the server reason', async () => {
    const { createTransfer, made } = fakeTransfers();
    const getVideo = vi.fn().mockResolvedValue(video('v2', { status: 'FAILED', error: 'Not a video: no streams' }));
    const q = new UploadQueue({ createTransfer, getVideo, pollMs: 1 });
    q.add([fakeFile('b.mov', 100)]);
    await flush();
    made[0].handlers.onSuccess('v2');
    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('failed'));
    expect(q.getItems()[0].error).toBe('Not a video: no streams');
    q.dispose();
  });

  it('shows upload errors and starts the next', async () => {
    const { createTransfer, byName } = fakeTransfers();
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn(), concurrency: 1 });
    q.add([fakeFile('c.mkv', 100), fakeFile('d.mkv', 100)]);
    await flush();
    expect(q.getItems().map((i) => i.phase)).toEqual(['uploading', 'queued']);
    byName('c.mkv').handlers.onError('The file is not a video Kinora can read.');
    expect(q.getItems()[0]).toMatchObject({ phase: 'failed', error: 'The file is not a video Kinora can read.' });
    expect(q.getItems()[1].phase).toBe('uploading');
    q.dispose();
  });

  it('cancels a running upload (deleting it on the server) and starts the next', async () => {
    const { createTransfer, byName } = fakeTransfers();
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn(), concurrency: 1 });
    const [first, second] = q.add([fakeFile('1.mp4', 10), fakeFile('2.mp4', 10)]);
    await flush();
    expect(q.getItems().map((i) => i.phase)).toEqual(['uploading', 'queued']);

    q.cancel(first);
    expect(byName('1.mp4').cancelled).toBe(1);
    expect(q.getItems().find((i) => i.id === first)?.phase).toBe('cancelled');
    expect(q.getItems().find((i) => i.id === second)?.phase).toBe('uploading');
    byName('1.mp4').handlers.onSuccess('late'); // an answer after cancel changes nothing
    expect(q.getItems()[0].phase).toBe('cancelled');

    q.cancel(second);
    expect(q.getItems().every((i) => i.phase === 'cancelled')).toBe(true);
    q.clearFinished();
    expect(q.getItems()).toHaveLength(0);
  });

  it('cancels a queued upload without sending it, and leaves an unanswered offer on the server', async () => {
    const { createTransfer, byName } = fakeTransfers((f) => (f.name === 'offer.mp4' ? { offset: 5, size: 10 } : null));
    const q = new UploadQueue({ createTransfer, getVideo: vi.fn(), concurrency: 1 });
    const [, queued, offer] = q.add([fakeFile('1.mp4', 10), fakeFile('2.mp4', 10), fakeFile('offer.mp4', 10)]);
    await flush();
    q.cancel(queued);
    expect(q.getItems()[1].phase).toBe('cancelled');
    expect(byName('2.mp4').starts).toEqual([]);
    expect(q.getItems()[2].phase).toBe('resumable');
    q.remove(offer);
    expect(byName('offer.mp4').cancelled).toBe(0);
    expect(q.getItems()).toHaveLength(2);
    q.dispose();
  });
});
