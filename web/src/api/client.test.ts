// @vitest-environment node
// The accounts side of the API client, against a throw-away HTTP server on loopback: the CSRF
// marker header on every request (multipart uploads included), Retry-After on 429, and /me's 401
// read as "anonymous".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, apiPath, createApiClient, REQUEST_MARKER_HEADER } from './client';
import { ApiError, parseRetryAfter } from './errors';
import { getMe } from './getMe';
import { listVideos } from './listVideos';
import { uploadVideo } from './uploadVideo';

interface Seen {
  method: string;
  url: string;
  marker: string | undefined;
  contentType: string | undefined;
  body: string;
}

let server: http.Server;
let base = '';
const seen: Seen[] = [];
let meStatus = 401;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        marker: req.headers[REQUEST_MARKER_HEADER.toLowerCase()] as string | undefined,
        contentType: req.headers['content-type'],
        body,
      });
      if (req.url === '/api/auth/me') {
        if (meStatus === 200) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ user: { username: 'alice' }, via: 'session', scopes: [] }));
        } else {
          res.writeHead(meStatus, { 'Content-Type': 'application/problem+json' });
          res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: meStatus, detail: 'Sign in.' }));
        }
      } else if (req.url === '/api/auth/login') {
        res.writeHead(429, { 'Content-Type': 'application/problem+json', 'Retry-After': '90' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Slow down.' }));
      } else if (req.url === '/api/uploader/upload') {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', video_id: 'v1', message: 'ok' }));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ videos: [], count: 0, total: 0, next_cursor: null }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.defaults.baseURL = base;
});

afterAll(async () => {
  api.defaults.baseURL = '';
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

describe('API client and the server’s CSRF check', () => {
  it('sends X-Kinora-Request: 1 on reads, JSON writes and multipart uploads alike', async () => {
    const client = createApiClient(base);
    await client.get('/anything');
    await client.post('/anything', { a: 1 });
    await client.delete('/anything');
    await uploadVideo(new File(['x'.repeat(64)], 'clip.mp4', { type: 'video/mp4' }), { visibility: 'private' });
    expect(seen.map((s) => [s.method, s.marker])).toEqual([
      ['GET', '1'],
      ['POST', '1'],
      ['DELETE', '1'],
      ['POST', '1'],
    ]);
    const upload = seen[3];
    expect(upload.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload.body).toMatch(/name="visibility"\r\n\r\nprivate\r\n/);
  });

  it('asks for cookies to be sent', () => {
    expect(createApiClient().defaults.withCredentials).toBe(true);
  });

  it('passes mine=true to the list only when asked', async () => {
    await listVideos({ mine: true, q: 'a' });
    await listVideos({ mine: false });
    expect(seen.map((s) => s.url)).toEqual(['/api/analytics/videos?mine=true&q=a', '/api/analytics/videos']);
  });

  it('fills the hand-typed accounts paths like the generated ones', () => {
    expect(apiPath('/api/admin/users/{user_id}/reset-password', { user_id: 'a/b' })).toBe(
      '/api/admin/users/a%2Fb/reset-password',
    );
  });
});

describe('GET /api/auth/me', () => {
  it('answers null for an anonymous caller (401), not an error', async () => {
    meStatus = 401;
    await expect(getMe()).resolves.toBeNull();
  });
  it('answers the user when signed in, and fails on anything but 401', async () => {
    meStatus = 200;
    await expect(getMe()).resolves.toMatchObject({ user: { username: 'alice' }, via: 'session' });
    meStatus = 500;
    await expect(getMe()).rejects.toBeInstanceOf(ApiError);
  });
});

describe('Retry-After', () => {
  it('is read from a 429 into the ApiError', async () => {
    const err = (await createApiClient(base)
      .post('/api/auth/login', {})
      .catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(90);
    expect(err.message).toBe('Slow down.');
  });
  it('takes delta-seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-31T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Fri, 31 Jan 2025 12:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Fri, 31 Jan 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
