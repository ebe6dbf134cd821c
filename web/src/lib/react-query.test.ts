import { ApiError } from '@/api/errors';
import { queryKeys } from '@/api/queries';
import { createQueryClient } from './react-query';

describe('createQueryClient', () => {
  it('asks who is signed in again when any request answers 401', async () => {
    const client = createQueryClient({ queries: { retry: false } });
    client.setQueryData(queryKeys.me, { user: { username: 'alice' } });
    await client
      .fetchQuery({
        queryKey: ['videos'],
        queryFn: () => Promise.reject(new ApiError('Sign in.', { status: 401 })),
      })
      .catch(() => undefined);
    expect(client.getQueryState(queryKeys.me)?.isInvalidated).toBe(true);
  });

  it('leaves the session alone on other failures', async () => {
    const client = createQueryClient({ queries: { retry: false } });
    client.setQueryData(queryKeys.me, { user: { username: 'alice' } });
    await client
      .fetchQuery({ queryKey: ['video', 'x'], queryFn: () => Promise.reject(new ApiError('Gone', { status: 404 })) })
      .catch(() => undefined);
    expect(client.getQueryState(queryKeys.me)?.isInvalidated).toBe(false);
  });

  it('does not ask again for an anonymous caller (a refused sign-in is a 401 too)', async () => {
    const client = createQueryClient({ queries: { retry: false } });
    client.setQueryData(queryKeys.me, null);
    await client
      .fetchQuery({ queryKey: ['x'], queryFn: () => Promise.reject(new ApiError('Wrong.', { status: 401 })) })
      .catch(() => undefined);
    expect(client.getQueryState(queryKeys.me)?.isInvalidated).toBe(false);
  });
});
