import type { UploadResponse, Video } from '@/api/types';
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
    const upload = vi.fn();
    const q = new UploadQueue({ upload, getVideo: vi.fn() });
    q.add([fakeFile('doc.pdf', 10), fakeFile('huge.mp4', DEFAULT_MAX_BYTES + 1)]);
    expect(q.getItems().map((i) => i.phase)).toEqual(['invalid', 'invalid']);
    expect(q.getItems()[0].error).toMatch(/not supported/);
    expect(upload).not.toHaveBeenCalled();
  });

  it('tracks progress, speed and ETA, then follows processing to PROCESSED', async () => {
    let t = 0;
    let progress!: (loaded: number, total?: number) => void;
    let resolve!: (r: UploadResponse) => void;
    const upload = vi.fn((_f: File, opts: { onProgress: typeof progress }) => {
      progress = opts.onProgress;
      return new Promise<UploadResponse>((r) => (resolve = r));
    });
    const getVideo = vi
      .fn()
      .mockResolvedValueOnce(video('v1', { status: 'PROCESSING', progress: 0.5 }))
      .mockResolvedValueOnce(video('v1', { status: 'PROCESSED', progress: 1 }));
    const q = new UploadQueue({ upload, getVideo, now: () => t, pollMs: 1 });
    const [id] = q.add([fakeFile('a.mp4', 4000)]);
    expect(q.getItems()[0].phase).toBe('uploading');

    t = 1000;
    progress(1000, 4000);
    t = 2000;
    progress(2000, 4000);
    const row = q.getItems()[0];
    expect(row.loaded).toBe(2000);
    expect(row.speed).toBe(1000); // 2000 B over 2 s
    expect(row.eta).toBe(2); // 2000 B left at 1000 B/s

    resolve({ status: 'success', video_id: 'v1', message: 'ok', video: video('v1') });
    await flush();
    expect(q.getItems()[0]).toMatchObject({ id, phase: 'processing', videoId: 'v1', loaded: 4000 });

    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('done'));
    expect(getVideo).toHaveBeenCalledWith('v1');
    q.dispose();
  });

  it('tells onVideo about the new video and each change of its status, not each poll', async () => {
    const upload = vi.fn().mockResolvedValue({ status: 'success', video_id: 'v3', message: 'ok', video: video('v3') });
    const getVideo = vi
      .fn()
      .mockResolvedValueOnce(video('v3', { status: 'PROCESSING', progress: 0.2 }))
      .mockResolvedValueOnce(video('v3', { status: 'PROCESSING', progress: 0.6 }))
      .mockResolvedValueOnce(video('v3', { status: 'PROCESSED', progress: 1 }));
    const onVideo = vi.fn<(v: Video) => void>();
    const q = new UploadQueue({ upload, getVideo, onVideo, pollMs: 1 });
    q.add([fakeFile('d.mp4', 100)]);
    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('done'));
    expect(getVideo).toHaveBeenCalledTimes(3);
    expect(onVideo.mock.calls.map(([v]) => v.status)).toEqual(['UPLOADED', 'PROCESSING', 'PROCESSED']);
    q.dispose();
  });

  it('reports processing failures with the server reason', async () => {
    const upload = vi.fn().mockResolvedValue({
      status: 'success',
      video_id: 'v2',
      message: 'ok',
      video: video('v2'),
    });
    const getVideo = vi.fn().mockResolvedValue(video('v2', { status: 'FAILED', error: 'Not a video: no streams' }));
    const q = new UploadQueue({ upload, getVideo, pollMs: 1 });
    q.add([fakeFile('b.mov', 100)]);
    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('failed'));
    expect(q.getItems()[0].error).toBe('Not a video: no streams');
    q.dispose();
  });

  it('shows upload errors', async () => {
    const upload = vi.fn().mockRejectedValue(new Error('The file is not a video Kinora can read.'));
    const q = new UploadQueue({ upload, getVideo: vi.fn() });
    q.add([fakeFile('c.mkv', 100)]);
    await vi.waitFor(() => expect(q.getItems()[0].phase).toBe('failed'));
    expect(q.getItems()[0].error).toMatch(/not a video/);
  });

  it('cancels a running upload through its AbortSignal and starts the next', async () => {
    const signals: AbortSignal[] = [];
    const upload = vi.fn(
      (_f: File, opts: { signal: AbortSignal }) =>
        new Promise<UploadResponse>((_res, rej) => {
          signals.push(opts.signal);
          opts.signal.addEventListener('abort', () => rej(new DOMException('aborted', 'AbortError')));
        }),
    );
    const q = new UploadQueue({ upload, getVideo: vi.fn(), concurrency: 1 });
    const [first, second] = q.add([fakeFile('1.mp4', 10), fakeFile('2.mp4', 10)]);
    expect(q.getItems().map((i) => i.phase)).toEqual(['uploading', 'queued']);

    q.cancel(first);
    expect(signals[0].aborted).toBe(true);
    await flush();
    expect(q.getItems().find((i) => i.id === first)?.phase).toBe('cancelled');
    expect(q.getItems().find((i) => i.id === second)?.phase).toBe('uploading');
    expect(upload).toHaveBeenCalledTimes(2);

    q.cancel(second);
    await flush();
    expect(q.getItems().every((i) => i.phase === 'cancelled')).toBe(true);
    q.clearFinished();
    expect(q.getItems()).toHaveLength(0);
  });

  it('cancels a queued upload without sending it', () => {
    const upload = vi.fn(() => new Promise<UploadResponse>(() => {}));
    const q = new UploadQueue({ upload, getVideo: vi.fn(), concurrency: 1 });
    const [, queued] = q.add([fakeFile('1.mp4', 10), fakeFile('2.mp4', 10)]);
    q.cancel(queued);
    expect(q.getItems()[1].phase).toBe('cancelled');
    expect(upload).toHaveBeenCalledTimes(1);
    q.dispose();
  });
});
