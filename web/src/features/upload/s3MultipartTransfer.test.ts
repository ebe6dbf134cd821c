import { ApiError } from '@/api/errors';
import { PartUploadError, type MultipartApi, type PutPart, type UploadedPart } from './s3MultipartApi';
import {
  createMetadata,
  createS3MultipartTransfer,
  fingerprint,
  MIN_PART_SIZE,
  partSizeFor,
  type S3MultipartSettings,
  type StoredUpload,
} from './s3MultipartTransfer';
import type { Transfer, TransferHandlers } from './transfer';

const PART = 10; // bytes per part in these tests

function handlers(): TransferHandlers & { calls: string[]; progress: Array<[number, number]>; settled: Promise<void> } {
  const calls: string[] = [];
  const progress: Array<[number, number]> = [];
  let settle: () => void = () => {};
  const settled = new Promise<void>((r) => (settle = r));
  return {
    calls,
    progress,
    settled,
    onProgress: (s, t) => progress.push([s, t]),
    onResumedAt: (o) => calls.push(`resumed ${o}`),
    onSuccess: (id) => {
      calls.push(`success ${id}`);
      settle();
    },
    onError: (m) => {
      calls.push(`error ${m}`);
      settle();
    },
  };
}

class MemStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

/** The server's endpoints and the bucket, in memory, recording every call. */
class FakeS3 {
  log: string[] = [];
  /** Bytes PUT to the bucket, per part number. */
  puts = new Map<number, number>();
  listed: UploadedPart[] = [];
  failPut: Array<(n: number) => Error | null> = [];
  signError: Error | null = null;
  listError: Error | null = null;
  completeError: Error | null = null;
  inFlight = 0;
  maxInFlight = 0;
  /** When set, a PUT of a part numbered `holdFrom` or more waits for this before answering. */
  gate: Promise<void> | null = null;
  holdFrom = 1;

  api: MultipartApi = {
    create: async (body) => {
      this.log.push(`create ${body.filename} ${body.size} ${JSON.stringify(body.metadata)}`);
      return { uploadId: 'a'.repeat(32), key: 'videos/v1.mp4' };
    },
    signPart: async (uploadId, key, n) => {
      this.log.push(`sign ${n}`);
      if (this.signError) throw this.signError;
      return { url: `https://bucket/${key}?uploadId=${uploadId}&partNumber=${n}`, expires: 900 };
    },
    listParts: async () => {
      this.log.push('list');
      if (this.listError) throw this.listError;
      return this.listed;
    },
    complete: async (_id, _key, parts) => {
      this.log.push(`complete ${parts.map((p) => `${p.PartNumber}:${p.ETag}`).join(',')}`);
      if (this.completeError) throw this.completeError;
      return { location: '/api/videos/v1', key: 'videos/v1.mp4', video_id: 'v1', video: {} as never };
    },
    abort: async (uploadId) => void this.log.push(`abort ${uploadId.slice(0, 4)}`),
  };

  putPart: PutPart = async (url, body, onProgress, signal) => {
    const n = Number(new URL(url).searchParams.get('partNumber'));
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      onProgress(Math.floor(body.size / 2));
      if (this.gate && n >= this.holdFrom) await this.gate;
      if (signal.aborted) throw new PartUploadError('stopped', -1);
      const fail = this.failPut.shift()?.(n);
      if (fail) throw fail;
      this.puts.set(n, (this.puts.get(n) ?? 0) + body.size);
      onProgress(body.size);
      return `"etag-${n}"`;
    } finally {
      this.inFlight -= 1;
    }
  };
}

const file = new File(['x'.repeat(45)], 'clip.mp4', { type: 'video/mp4', lastModified: 1000 });

function setup(extra: Partial<S3MultipartSettings> = {}) {
  const s3 = new FakeS3();
  const storage = new MemStorage();
  const delays: number[] = [];
  const settings: S3MultipartSettings = {
    api: s3.api,
    putPart: s3.putPart,
    storage,
    partSize: PART,
    sleep: async (ms) => void delays.push(ms),
    ...extra,
  };
  const make = (h: TransferHandlers): Transfer => createS3MultipartTransfer(settings)(file, { title: ' T ' }, h);
  return { s3, storage, delays, make };
}

function stored(storage: MemStorage): StoredUpload | null {
  const text = storage.getItem(fingerprint(file));
  return text ? (JSON.parse(text) as StoredUpload) : null;
}

describe('helpers', () => {
  it('sizes parts at 5 MiB, larger when 10 000 would not hold the file', () => {
    expect(partSizeFor(1)).toBe(MIN_PART_SIZE);
    expect(partSizeFor(100 * 1024 * 1024 * 1024)).toBe(Math.ceil((100 * 1024 * 1024 * 1024) / 10_000));
  });
  it('sends the fields Kinora reads, leaving empty ones to the server', () => {
    expect(createMetadata(file, { title: ' A ', description: ' ', visibility: 'private' })).toEqual({
      name: 'clip.mp4',
      type: 'video/mp4',
      title: 'A',
      visibility: 'private',
    });
  });
});

describe('createS3MultipartTransfer', () => {
  it('creates, signs and PUTs every part, then completes with the ETags in order', async () => {
    const { s3, storage, make } = setup();
    const h = handlers();
    const t = make(h);
    expect(await t.findPrevious()).toBeNull();
    t.start(false);
    await h.settled;
    expect(h.calls).toEqual(['success v1']);
    expect(s3.log[0]).toBe('create clip.mp4 45 {"name":"clip.mp4","type":"video/mp4","title":"T"}');
    expect(s3.log.filter((l) => l.startsWith('sign')).sort()).toEqual([
      'sign 1',
      'sign 2',
      'sign 3',
      'sign 4',
      'sign 5',
    ]);
    expect(s3.log.at(-1)).toBe('complete 1:"etag-1",2:"etag-2",3:"etag-3",4:"etag-4",5:"etag-5"');
    expect([...s3.puts.entries()].sort()).toEqual([
      [1, 10],
      [2, 10],
      [3, 10],
      [4, 10],
      [5, 5],
    ]);
    expect(h.progress.at(-1)).toEqual([45, 45]);
    expect(h.progress.every(([s, total], i) => total === 45 && s <= 45 && (i === 0 || s >= 0))).toBe(true);
    expect(stored(storage)).toBeNull(); // forgotten once it is a video
  });

  it('sends at most `concurrency` parts at once', async () => {
    const { s3, make } = setup({ concurrency: 2 });
    let open: () => void = () => {};
    s3.gate = new Promise((r) => (open = r));
    const h = handlers();
    make(h).start(false);
    await vi.waitFor(() => expect(s3.inFlight).toBe(2));
    open();
    await h.settled;
    expect(s3.maxInFlight).toBe(2);
    expect(h.calls).toEqual(['success v1']);
  });

  it('retries a failed part after the delays, signing it afresh', async () => {
    const { s3, delays, make } = setup({ concurrency: 1 });
    s3.failPut = [
      (n) => (n === 1 ? new PartUploadError('no answer', 0) : null),
      (n) => (n === 1 ? new PartUploadError('expired', 403) : null),
    ];
    const h = handlers();
    make(h).start(false);
    await h.settled;
    expect(h.calls).toEqual(['success v1']);
    expect(delays).toEqual([0, 1000]);
    expect(s3.log.filter((l) => l === 'sign 1')).toHaveLength(3);
  });

  it('gives up after the last delay, and on an answer no retry changes', async () => {
    const { s3, delays, make } = setup({ concurrency: 1, retryDelays: [5, 10] });
    s3.failPut = Array.from(
      { length: 3 },
      () => () => new PartUploadError('The storage refused a part (HTTP 500).', 500),
    );
    const h = handlers();
    make(h).start(false);
    await h.settled;
    expect(h.calls).toEqual(['error The storage refused a part (HTTP 500).']);
    expect(delays).toEqual([5, 10]);

    const other = setup();
    other.s3.signError = new ApiError('upload not found', { status: 404 });
    const h2 = handlers();
    other.make(h2).start(false);
    await h2.settled;
    expect(h2.calls).toEqual(['error upload not found']);
    expect(other.delays).toEqual([]);
    expect(stored(other.storage)).toBeNull(); // gone on the server: not offered again
  });

  it('a missing ETag (a CORS rule that hides it) fails at once with what to fix', async () => {
    const { s3, delays, make } = setup();
    s3.failPut = [
      () =>
        new PartUploadError("The storage did not expose the part's ETag (the bucket's CORS rule must expose it).", -1),
    ];
    const h = handlers();
    make(h).start(false);
    await h.settled;
    expect(h.calls).toEqual([
      "error The storage did not expose the part's ETag (the bucket's CORS rule must expose it).",
    ]);
    expect(delays).toEqual([]);
  });

  it('keeps the upload in storage, and a new page continues it: listed and remembered parts are not sent again', async () => {
    const first = setup({ concurrency: 1 });
    let open: () => void = () => {};
    const h1 = handlers();
    const t1 = first.make(h1);
    // Two parts in, the third held: then the page goes away.
    first.s3.gate = new Promise((r) => (open = r));
    first.s3.holdFrom = 3;
    t1.start(false);
    await vi.waitFor(() => expect(first.s3.inFlight).toBe(1));
    expect(first.s3.puts.size).toBe(2);
    t1.pause();
    open();
    const kept = stored(first.storage);
    expect(kept).toMatchObject({ uploadId: 'a'.repeat(32), key: 'videos/v1.mp4', size: 45, partSize: PART });
    expect(kept?.parts.map((p) => p.PartNumber)).toEqual([1, 2]);
    expect(kept?.meta).toEqual({ title: ' T ' });

    // The new page: same storage, an S3 that lists part 3 (s3rver would list nothing).
    const second = setup({ storage: first.storage });
    second.s3.listed = [{ PartNumber: 3, ETag: '"etag-3"', Size: 10 }];
    const h2 = handlers();
    const t2 = second.make(h2);
    expect(await t2.findPrevious()).toEqual({ offset: 30, size: 45, meta: { title: ' T ' } });
    t2.start(true);
    await h2.settled;
    expect(h2.calls).toEqual(['resumed 30', 'success v1']);
    expect([...second.s3.puts.keys()].sort()).toEqual([4, 5]);
    expect(second.s3.log).not.toContain(expect.stringMatching(/^create/));
    expect(second.s3.log.at(-1)).toBe('complete 1:"etag-1",2:"etag-2",3:"etag-3",4:"etag-4",5:"etag-5"');
    expect(h2.progress[0]).toEqual([30, 45]);
    expect(h1.calls).toEqual([]); // nothing reported after pause()
  });

  it('forgets an upload the server no longer has, keeps it on other failures', async () => {
    const { s3, storage, make } = setup();
    const record: StoredUpload = {
      uploadId: 'b'.repeat(32),
      key: 'videos/v2.mp4',
      size: 45,
      partSize: PART,
      parts: [{ PartNumber: 1, ETag: '"e"', Size: 10 }],
      meta: {},
      createdAt: '2026-01-01T00:00:00Z',
    };
    storage.setItem(fingerprint(file), JSON.stringify(record));
    s3.listError = new ApiError('down', { status: 503 });
    expect(await make(handlers()).findPrevious()).toBeNull();
    expect(stored(storage)).not.toBeNull();
    s3.listError = new ApiError('upload not found', { status: 404 });
    expect(await make(handlers()).findPrevious()).toBeNull();
    expect(stored(storage)).toBeNull();

    storage.setItem(fingerprint(file), JSON.stringify({ ...record, size: 44 }));
    expect(await make(handlers()).findPrevious()).toBeNull();
    expect(stored(storage)).toBeNull();
  });

  it('starting over aborts the earlier upload and creates a new one', async () => {
    const { s3, storage, make } = setup();
    storage.setItem(
      fingerprint(file),
      JSON.stringify({
        uploadId: 'c'.repeat(32),
        key: 'k',
        size: 45,
        partSize: PART,
        parts: [],
        meta: {},
        createdAt: '',
      }),
    );
    const h = handlers();
    const t = make(h);
    expect(await t.findPrevious()).toMatchObject({ offset: 0 });
    t.start(false);
    await h.settled;
    expect(s3.log.slice(0, 3)).toEqual(['list', 'abort cccc', expect.stringMatching(/^create/)]);
    expect(h.calls).toEqual(['success v1']);
  });

  it('pause keeps the upload and start continues it; cancel aborts it and forgets it', async () => {
    const { s3, storage, make } = setup({ concurrency: 1 });
    let open: () => void = () => {};
    const h = handlers();
    const t = make(h);
    s3.gate = new Promise((r) => (open = r));
    s3.holdFrom = 2;
    t.start(false);
    await vi.waitFor(() => expect(s3.inFlight).toBe(1));
    expect(s3.puts.size).toBe(1);
    t.pause();
    open();
    await vi.waitFor(() => expect(s3.inFlight).toBe(0));
    s3.gate = null;
    t.start(true);
    await h.settled;
    expect(h.calls).toEqual(['resumed 10', 'success v1']);
    expect(s3.log.filter((l) => l.startsWith('create'))).toHaveLength(1);

    const again = setup();
    const h2 = handlers();
    const t2 = again.make(h2);
    again.s3.gate = new Promise(() => {}); // never answers
    t2.start(false);
    await vi.waitFor(() => expect(again.s3.inFlight).toBeGreaterThan(0));
    await t2.cancel();
    expect(again.s3.log).toContain(`abort aaaa`);
    expect(stored(again.storage)).toBeNull();
    expect(h2.calls).toEqual([]);
    void storage;
  });

  it("a refused completion reports the server's reason and is not offered again", async () => {
    const { s3, storage, make } = setup();
    s3.completeError = new ApiError('not a video: no streams', { status: 422 });
    const h = handlers();
    make(h).start(false);
    await h.settled;
    expect(h.calls).toEqual(['error not a video: no streams']);
    expect(stored(storage)).toBeNull();
  });
});
