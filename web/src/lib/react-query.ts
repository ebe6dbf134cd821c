// The app's TanStack Query client: server state (lists, videos, stats) is cached and refreshed
// through it instead of hand-written fetch-and-poll hooks.

import { MutationCache, QueryCache, QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { ApiError } from '@/api/errors';
import { queryKeys } from '@/api/queries';

/** Worth asking again: the server was not reached, was busy, or failed on its side. */
function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.cancelled) return false;
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

/** A 401 means the session ended (expired, signed out elsewhere, account disabled). */
function isSignedOut(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  // While someone is signed in, any request answered 401 asks /api/auth/me again, so the header
  // and the pages follow a session that ended meanwhile (expired, signed out elsewhere, disabled).
  // An anonymous caller's 401 (a wrong password, say) changes nothing. /me itself answers null,
  // not an error, for an anonymous caller, so this cannot loop.
  const recheckSession = () => {
    if (client.getQueryData(queryKeys.me)) void client.invalidateQueries({ queryKey: queryKeys.me });
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => isSignedOut(error) && recheckSession() }),
    mutationCache: new MutationCache({ onError: (error) => isSignedOut(error) && recheckSession() }),
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
  return client;
}
