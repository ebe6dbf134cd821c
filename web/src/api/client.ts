// The one Axios instance every endpoint module uses. It tags each request with a fresh
// X-Correlation-ID (so a user's report can be matched to server logs) and rejects with ApiError.

import axios, { type AxiosInstance } from 'axios';
import { toApiError } from './errors';

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
  const instance = axios.create({ baseURL, timeout: 30_000, headers: { Accept: 'application/json' } });
  instance.interceptors.request.use((config) => {
    config.headers.set('X-Correlation-ID', newCorrelationId());
    return config;
  });
  instance.interceptors.response.use(
    (res) => res,
    (err) => Promise.reject(toApiError(err)),
  );
  return instance;
}

export const api = createApiClient();
