// The one Axios instance every endpoint module uses. It tags each request with a fresh
// X-Correlation-ID (so a user's report can be matched to server logs) and with
// `X-Kinora-Request: 1` (the server refuses a cookie-authenticated write that has neither a JSON
// body nor that header: a cross-site form post can set neither), sends the session cookie, and
// rejects with ApiError.

import axios, { type AxiosInstance } from 'axios';
import type { HandPath } from './authTypes';
import { toApiError } from './errors';
import type { paths } from './schema.gen';

/** The header every request carries; docs/auth.md, "CSRF". */
export const REQUEST_MARKER_HEADER = 'X-Kinora-Request';

/** The `{name}` parameters in an OpenAPI path template. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;

/**
 * A URL of the API: `template` must be a path of openapi.json (tsc checks it against the generated
 * `paths`) or one of the hand-typed accounts paths (authTypes.ts) until openapi.json has them, and
 * its `{name}` parameters are filled in, URL-encoded.
 */
export function apiPath<P extends (keyof paths | HandPath) & string>(
  template: P,
  ...params: [PathParams<P>] extends [never] ? [] : [Record<PathParams<P>, string>]
): string {
  const values: Record<string, string> = params[0] ?? {};
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]));
}

/** A UUIDv4; falls back to Math.random where crypto.randomUUID is absent (non-secure origins). */
export function newCorrelationId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (ch) => {
    const r = (Math.random() * 16) | 0;
    return (ch === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function createApiClient(baseURL = ''): AxiosInstance {
  const instance = axios.create({
    baseURL,
    timeout: 30_000,
    headers: { Accept: 'application/json' },
    // The session is the `kinora_session` cookie (HttpOnly, SameSite=Lax). The app is served from
    // the API's own origin, where cookies go anyway; this also keeps them on a cross-origin dev
    // setup that the server allows with KINORA_CORS_ORIGINS.
    withCredentials: true,
  });
  instance.interceptors.request.use((config) => {
    config.headers.set('X-Correlation-ID', newCorrelationId());
    config.headers.set(REQUEST_MARKER_HEADER, '1');
    return config;
  });
  instance.interceptors.response.use(
    (res) => res,
    (err) => Promise.reject(toApiError(err)),
  );
  return instance;
}

export const api = createApiClient();
