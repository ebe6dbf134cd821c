// @vitest-environment node
// Exercises the real Axios instance against a throw-away HTTP server on loopback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiPath, createApiClient } from './client';
import { ApiError, toApiError } from './errors';

let server: http.Server;
let base = '';
const seenIds: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seenIds.push(String(req.headers['x-correlation-id'] ?? ''));
    if (req.url?.startsWith('/problem')) {
      res.writeHead(404, { 'Content-Type': 'application/problem+json', 'X-Correlation-ID': 'abc' });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Not Found',
          status: 404,
          detail: 'No video with id 1234.',
          correlation_id: 'abc',
        }),
      );
    } else if (req.url?.startsWith('/title-only')) {
      res.writeHead(413, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Payload Too Large', status: 413 }));
    } else if (req.url?.startsWith('/html')) {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>bad gateway</html>');
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('API client', () => {
  it('sends a fresh UUID X-Correlation-ID on every request', async () => {
    const client = createApiClient(base);
    seenIds.length = 0;
    await client.get('/ok');
    await client.get('/ok');
    expect(seenIds).toHaveLength(2);
    for (const id of seenIds) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(seenIds[0]).not.toBe(seenIds[1]);
  });

  it('maps a problem document to its detail', async () => {
    const client = createApiClient(base);
    const err = await client.get('/problem').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('No video with id 1234.');
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).correlationId).toBe('abc');
  });

  it('falls back to the title when detail is missing', async () => {
    const client = createApiClient(base);
    const err = (await client.get('/title-only').catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('Payload Too Large');
    expect(err.status).toBe(413);
  });

  it('explains a non-JSON error answer by its status, not as a network error', async () => {
    const client = createApiClient(base);
    const err = (await client.get('/html').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.message).not.toMatch(/network error/i);
    expect(err.message).toMatch(/bad gateway/i);
  });

  it('gives a clear message when the server cannot be reached', async () => {
    // Bind then close a port so nothing listens on it.
    const tmp = http.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', r));
    const port = (tmp.address() as AddressInfo).port;
    await new Promise<void>((r) => tmp.close(() => r()));
    const client = createApiClient(`http://127.0.0.1:${port}`);
    const err = (await client.get('/ok').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/could not reach the kinora server/i);
    expect(err.message).not.toBe('Network Error');
  });

  it('marks cancelled requests', async () => {
    const client = createApiClient(base);
    const ctrl = new AbortController();
    ctrl.abort();
    const err = (await client.get('/ok', { signal: ctrl.signal }).catch((e: unknown) => e)) as ApiError;
    expect(err.cancelled).toBe(true);
  });
});

describe('toApiError', () => {
  it('keeps plain errors readable', () => {
    expect(toApiError(new Error('boom')).message).toBe('boom');
    expect(toApiError('weird').message).toBe('Something went wrong.');
  });
});

describe('apiPath', () => {
  it('fills in and encodes path parameters of the OpenAPI paths', () => {
    expect(apiPath('/api/analytics/stats')).toBe('/api/analytics/stats');
    expect(apiPath('/api/analytics/video/{video_id}', { video_id: 'a b/c' })).toBe('/api/analytics/video/a%20b%2Fc');
  });
});
