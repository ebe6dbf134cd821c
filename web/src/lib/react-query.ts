// The app's TanStack Query client: server state (lists, videos, stats) is cached and refreshed
// through it instead of hand-written fetch-and-poll hooks.

import { QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { ApiError } from '@/api/errors';

/** Worth asking again: the server was not reached, was busy, or failed on its side. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.cancelled) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      ...overrides,
      queries: {
        // A 404 or a refused request is final: show it at once. A dropped connection or a busy
        // server gets two more tries before the page says so.
        retry: (failures, error) => failures < 2 && isTransient(error),
        ...overrides.queries,
      },
      mutations: {
        // Counting a view or a like twice is worse than asking the person to try again.
        retry: false,
        ...overrides.mutations,
      },
    },
  });
}
