// Turns whatever Axios rejects with into an ApiError whose message a person can act on.
// The server answers errors with RFC 9457 problem documents; `detail` is the message to show.

import { isAxiosError, isCancel } from 'axios';
import type { Problem } from './types';

export class ApiError extends Error {
  /** HTTP status, or 0 when the server never answered. */
  readonly status: number;
  readonly correlationId?: string;
  readonly problem?: Problem;
  readonly cancelled: boolean;
  /** Seconds the server asked the client to wait (`Retry-After`, on 429 and 503), when it said. */
  readonly retryAfterSeconds?: number;

  constructor(
    message: string,
    opts: {
      status?: number;
      correlationId?: string;
      problem?: Problem;
      cancelled?: boolean;
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = opts.status ?? 0;
    this.correlationId = opts.correlationId;
    this.problem = opts.problem;
    this.cancelled = opts.cancelled ?? false;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/**
 * A `Retry-After` value in seconds: delta-seconds ("120") or an HTTP date (counted from `now`,
 * in ms). Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const STATUS_MESSAGES: Record<number, string> = {
  400: 'The request was not valid.',
  401: 'Sign in to do that.',
  403: 'Access was refused.',
  404: 'Not found.',
  405: 'That action is not allowed.',
  411: 'The upload is missing its length.',
  413: 'The file is too large.',
  415: 'That file type is not supported.',
  422: 'The file is not a video Kinora can read.',
  429: 'Too many requests; wait a moment and try again.',
  500: 'The server hit an internal error.',
  502: 'The server is unreachable (bad gateway).',
  503: 'The service is temporarily unavailable; try again shortly.',
  504: 'The server took too long to answer.',
};

/** What to say when a request got no answer at all. */
export const UNREACHABLE_MESSAGE =
  'Could not reach the Kinora server. Check that it is running and that you are online.';

function isProblem(data: unknown): data is Partial<Problem> {
  return typeof data === 'object' && data !== null && ('detail' in data || 'title' in data);
}

function parseMaybeJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * The ApiError for an answer the server gave: its problem document's `detail` when it sent one
 * (`data` parsed or still JSON text), else a sentence for the status. Also used for answers that
 * did not come through Axios (tus uploads).
 */
export function apiErrorFromResponse(
  status: number,
  data: unknown,
  headers: { correlationId?: string; retryAfter?: unknown } = {},
): ApiError {
  const body = parseMaybeJson(data);
  const retryAfterSeconds = parseRetryAfter(headers.retryAfter);
  if (isProblem(body)) {
    const problem = body as Problem;
    const message =
      (typeof problem.detail === 'string' && problem.detail.trim()) ||
      (typeof problem.title === 'string' && problem.title.trim()) ||
      STATUS_MESSAGES[status] ||
      `Request failed (HTTP ${status}).`;
    return new ApiError(message, {
      status,
      correlationId: problem.correlation_id ?? headers.correlationId,
      problem,
      retryAfterSeconds,
    });
  }
  return new ApiError(STATUS_MESSAGES[status] ?? `Request failed (HTTP ${status}).`, {
    status,
    correlationId: headers.correlationId,
    retryAfterSeconds,
  });
}

/** Maps any thrown value to an ApiError. Never yields "Network Error" when the server answered. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (
    isCancel(err) ||
    (err instanceof Error && err.name === 'CanceledError') ||
    (err instanceof DOMException && err.name === 'AbortError')
  ) {
    return new ApiError('Cancelled.', { cancelled: true });
  }
  if (isAxiosError(err)) {
    const res = err.response;
    if (res) {
      return apiErrorFromResponse(res.status, res.data, {
        correlationId: (res.headers?.['x-correlation-id'] as string | undefined) ?? undefined,
        retryAfter: res.headers?.['retry-after'],
      });
    }
    if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT') {
      return new ApiError('The server took too long to answer. Check your connection and try again.');
    }
    return new ApiError(UNREACHABLE_MESSAGE);
  }
  if (err instanceof Error) return new ApiError(err.message || 'Something went wrong.');
  return new ApiError('Something went wrong.');
}

/** The message to show for any error. */
export function errorMessage(err: unknown): string {
  return toApiError(err).message;
}
