import type * as tus from 'tus-js-client';
import { ApiError } from '@/api/errors';
import { getUploadState } from '@/api/getUploadState';
import type { Video } from '@/api/types';
import type { MultipartApi, PutPart } from './s3MultipartApi';
import type { TransferHandlers } from './transfer';
import {
  createTusTransfer,
  DEFAULT_CHUNK_SIZE,
  metaOf,
  RETRY_DELAYS,
  tusErrorMessage,
  tusMetadata,
} from './tusTransfer';
import { chooseUploader, uploaderKind } from './uploader';

vi.mock('@/api/getUploadState', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/getUploadState')>()),
  getUploadState: vi.fn(),
}));

/** Stands in for tus-js-client's Upload: records what the transfer asks of it. */
class FakeUpload {
  static made: FakeUpload[] = [];
  static terminate = vi.fn(async () => {});
  url: string | null = null;
  previous: tus.PreviousUpload[] = [];
  started = 0;
  aborts: Array<boolean | undefined> = [];
  constructor(
    readonly file: File,
    readonly options: tus.UploadOptions,
  ) {
    FakeUpload.made.push(this);
  }
  findPreviousUploads = async () => this.previous;
  resumeFromPreviousUpload(p: tus.PreviousUpload) {
    this.url = p.uploadUrl;
  }
  start() {
    this.started += 1;
  }
  async abort(shouldTerminate?: boolean) {
    this.aborts.push(shouldTerminate);
  }
}
const removeUpload = vi.fn(async (_key: string) => {});
const tusModule = { Upload: FakeUpload, defaultOptions: { urlStorage: { removeUpload } } } as unknown as Pick<
  typeof tus,
  'Upload' | 'defaultOptions'
>;

function handlers(): TransferHandlers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    onProgress: (s, t) => calls.push(`progress ${s}/${t}`),
    onResumedAt: (o) => calls.push(`resumed ${o}`),
    onSuccess: (id) => calls.push(`success ${id}`),
    onError: (m) => calls.push(`error ${m}`),
  };
}

function response(status: number, headers: Record<string, string> = {}, body = ''): tus.HttpResponse {
  return {
    getStatus: () => status,
    getHeader: (h: string) => headers[h],
    getBody: () => body,
    getUnderlyingObject: () => null,
  };
}

function request(
  method: string,
): tus.HttpRequest & { headers: Record<string, string>; xhr: { withCredentials: boolean } } {
  const headers: Record<string, string> = {};
  const xhr = { withCredentials: false };
  return {
    headers,
    xhr,
    getMethod: () => method,
    getURL: () => '/api/uploads/u1',
    setHeader: (h: string, v: string) => void (headers[h] = v),
    getHeader: (h: string) => headers[h],
    setProgressHandler: () => {},
    send: async () => response(204),
    abort: async () => {},
    getUnderlyingObject: () => xhr,
  };
}

function previous(uploadUrl: string, creationTime: string, size = 100): tus.PreviousUpload {
  const metadata = { filename: 'x.mp4', title: `from ${uploadUrl}`, visibility: 'unlisted' };
  return { size, metadata, creationTime, urlStorageKey: `key-${uploadUrl}`, uploadUrl, parallelUploadUrls: null };
}

const file = new File(['x'.repeat(100)], 'Été à Nice.mp4', { type: 'video/mp4' });

beforeEach(() => {
  FakeUpload.made = [];
  FakeUpload.terminate.mockClear();
  removeUpload.mockClear();
  vi.mocked(getUploadState).mockReset();
});

describe('tusMetadata', () => {
  it('sends the keys Kinora reads and leaves empty ones to the server', () => {
    expect(tusMetadata(file, { title: ' Summer ', description: '', visibility: 'private' })).toEqual({
      filename: 'Été à Nice.mp4',
      filetype: 'video/mp4',
      title: 'Summer',
      visibility: 'private',
    });
    expect(tusMetadata(new File(['x'], 'a.mkv'), {})).toEqual({ filename: 'a.mkv' });
  });
});

describe('metaOf', () => {
  it('reads the form fields back from stored metadata, dropping an unknown visibility', () => {
    expect(metaOf({ filename: 'a.mp4', title: 'A', description: 'D', visibility: 'private' })).toEqual({
      title: 'A',
      description: 'D',
      visibility: 'private',
    });
    expect(metaOf({ filename: 'a.mp4', visibility: 'everyone' })).toEqual({});
    expect(metaOf(null)).toEqual({});
  });
});

describe('tusErrorMessage', () => {
  it("shows the server's problem detail", () => {
    const err = Object.assign(new Error('tus: unexpected response while uploading chunk'), {
      originalRequest: request('PATCH'),
      originalResponse: response(
        422,
        {},
        JSON.stringify({ type: 'about:blank', title: 'Unprocessable', status: 422, detail: 'not a video: no streams' }),
      ),
      causingError: null,
    });
    expect(tusErrorMessage(err)).toBe('not a video: no streams');
  });
  it('says what a status means when the answer has no problem document, and when there was no answer', () => {
    const base = { originalRequest: request('POST'), causingError: null };
    expect(tusErrorMessage(Object.assign(new Error('x'), { ...base, originalResponse: response(413) }))).toBe(
      'The file is too large.',
    );
    expect(tusErrorMessage(Object.assign(new Error('tus: failed'), { ...base, originalResponse: null }))).toMatch(
      /Could not reach the Kinora server/,
    );
    expect(tusErrorMessage(new Error('tus: no file'))).toBe('tus: no file');
  });
});

describe('createTusTransfer', () => {
  it('configures tus-js-client as docs/uploads.md says and reports the new video', () => {
    const h = handlers();
    const transfer = createTusTransfer({ tusModule })(file, { visibility: 'public' }, h);
    const { options } = FakeUpload.made[0];
    expect(options).toMatchObject({
      endpoint: '/api/uploads/',
      chunkSize: DEFAULT_CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      headers: { 'X-Kinora-Request': '1' },
      metadata: { filename: 'Été à Nice.mp4', filetype: 'video/mp4', visibility: 'public' },
    });
    expect(RETRY_DELAYS).toEqual([0, 1000, 3000, 5000, 10000]);
    expect(DEFAULT_CHUNK_SIZE).toBe(8 * 1024 * 1024);

    const req = request('PATCH');
    void options.onBeforeRequest!(req);
    expect(req.headers['X-Correlation-ID']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.xhr.withCredentials).toBe(true);

    transfer.start(false);
    expect(FakeUpload.made[0].started).toBe(1);
    void options.onAfterResponse!(request('HEAD'), response(200, { 'Upload-Offset': '4096' }));
    void options.onAfterResponse!(request('PATCH'), response(204, { 'Upload-Offset': '8192' }));
    options.onProgress!(50, 100);
    options.onSuccess!({ lastResponse: response(204, { 'Kinora-Video-Id': 'v-42' }) });
    options.onSuccess!({ lastResponse: response(204) });
    expect(h.calls).toEqual([
      'resumed 4096',
      'progress 50/100',
      'success v-42',
      'error The upload finished but the server did not say which video it became.',
    ]);
  });

  it('finds the newest earlier upload the server still has, forgetting gone ones', async () => {
    const transfer = createTusTransfer({ tusModule })(file, {}, handlers());
    const upload = FakeUpload.made[0];
    upload.previous = [
      previous('http://h/api/uploads/old', '2026-01-01T00:00:00Z'),
      previous('http://h/api/uploads/gone', '2026-01-03T00:00:00Z'),
      previous('http://h/api/uploads/alive', '2026-01-02T00:00:00Z'),
      previous('http://h/api/uploads/other-size', '2026-01-04T00:00:00Z', 99),
    ];
    vi.mocked(getUploadState).mockImplementation(async (id) => {
      if (id === 'gone') throw new ApiError('Not found.', { status: 404 });
      return { upload_id: id, offset: 60, length: 100, expires_at: null, video_id: null, complete: false };
    });
    expect(await transfer.findPrevious()).toEqual({
      offset: 60,
      size: 100,
      meta: { title: 'from http://h/api/uploads/alive', visibility: 'unlisted' },
    });
    expect(vi.mocked(getUploadState).mock.calls.map(([id]) => id)).toEqual(['gone', 'alive']);
    expect(removeUpload.mock.calls.map(([key]) => key)).toEqual([
      'key-http://h/api/uploads/other-size',
      'key-http://h/api/uploads/gone',
    ]);

    transfer.start(true);
    expect(upload.url).toBe('http://h/api/uploads/alive');
    expect(upload.started).toBe(1);
  });

  it('starting over terminates the earlier upload; pause keeps it; cancel terminates', async () => {
    const transfer = createTusTransfer({ tusModule, chunkSize: 1024, endpoint: '/x/' })(file, {}, handlers());
    const upload = FakeUpload.made[0];
    expect(upload.options).toMatchObject({ chunkSize: 1024, endpoint: '/x/' });
    upload.previous = [previous('/api/uploads/p1', '2026-01-01T00:00:00Z')];
    vi.mocked(getUploadState).mockResolvedValue({
      upload_id: 'p1',
      offset: 10,
      length: 100,
      expires_at: null,
      video_id: null,
      complete: false,
    });
    expect(await transfer.findPrevious()).toMatchObject({ offset: 10, size: 100 });
    transfer.start(false);
    expect(upload.url).toBeNull();
    expect(FakeUpload.terminate).toHaveBeenCalledWith('/api/uploads/p1', upload.options);
    expect(removeUpload).toHaveBeenCalledWith('key-/api/uploads/p1');

    transfer.pause();
    await transfer.cancel();
    expect(upload.aborts).toEqual([false, true]);
  });
});

describe('chooseUploader', () => {
  const config = {
    tus: { endpoint: '/api/uploads/', max_size: 1000, chunk_size: 5 * 1024 * 1024 },
    s3_multipart: false,
  };
  it("uses tus with the server's endpoint and chunk size where direct-to-S3 is not offered", () => {
    expect(uploaderKind(config)).toBe('tus');
    expect(uploaderKind(null)).toBe('tus');
    chooseUploader(config, tusModule)(file, {}, handlers());
    expect(FakeUpload.made[0].options).toMatchObject({ endpoint: '/api/uploads/', chunkSize: 5 * 1024 * 1024 });
  });
  it('sends straight to the bucket where the server offers direct-to-S3', async () => {
    expect(uploaderKind({ ...config, s3_multipart: true })).toBe('s3-multipart');
    const calls: string[] = [];
    const api: MultipartApi = {
      create: async (body) => {
        calls.push(`create ${body.filename} ${body.size}`);
        return { uploadId: 'up1', key: 'videos/v.mp4' };
      },
      signPart: async (_id, _key, n) => ({ url: `http://bucket.test/videos/v.mp4?partNumber=${n}`, expires: 900 }),
      listParts: async () => [],
      complete: async (_id, key, parts) => {
        calls.push(`complete ${key} ${parts.map((p) => p.ETag).join(',')}`);
        return { location: '', key, video_id: 'v', video: {} as Video };
      },
      abort: async () => {},
    };
    const putPart: PutPart = async (url, body) => {
      calls.push(`PUT ${url} ${body.size}`);
      return '"e1"';
    };
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
    };
    const h = handlers();
    chooseUploader({ ...config, s3_multipart: true }, tusModule, { api, putPart, storage })(file, {}, h).start(false);
    await vi.waitFor(() => expect(h.calls).toContain('success v'));
    expect(FakeUpload.made).toEqual([]);
    expect(calls).toEqual([
      'create Été à Nice.mp4 100',
      'PUT http://bucket.test/videos/v.mp4?partNumber=1 100',
      'complete videos/v.mp4 "e1"',
    ]);
  });
  it('falls back to the documented endpoint and 8 MiB chunks when the server does not say', () => {
    chooseUploader(null, tusModule)(file, {}, handlers());
    chooseUploader({ ...config, tus: { ...config.tus, chunk_size: 0, endpoint: '' } }, tusModule)(file, {}, handlers());
    for (const upload of FakeUpload.made) {
      expect(upload.options).toMatchObject({ endpoint: '/api/uploads/', chunkSize: 8 * 1024 * 1024 });
    }
  });
});
