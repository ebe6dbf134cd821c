// Who is signed in, for component tests: a Me for each role with the rights docs/auth.md gives
// it, and a way to put it (or an anonymous caller) in a test's query cache before rendering, so
// no test asks /api/auth/me over the network.
import type { QueryClient } from '@tanstack/react-query';
import type { Me, Right, Role, User } from '@/api/authTypes';
import { queryKeys } from '@/api/queries';

export const RIGHTS_BY_ROLE: Record<Role, Right[]> = {
  user: ['upload', 'like', 'edit_own_videos'],
  moderator: ['upload', 'like', 'edit_own_videos', 'edit_any_video', 'see_any_video'],
  admin: ['upload', 'like', 'edit_own_videos', 'edit_any_video', 'see_any_video', 'manage_users', 'manage_settings'],
};

export function makeUser(patch: Partial<User> = {}): User {
  const role = patch.role ?? 'user';
  return {
    user_id: `id-${patch.username ?? 'alice'}`,
    username: 'alice',
    role,
    disabled: false,
    approved: true,
    must_change_password: false,
    quota_bytes: null,
    daily_quota_bytes: null,
    used_bytes: 0,
    created_at: 1_738_300_000,
    rights: RIGHTS_BY_ROLE[role],
    ...patch,
  };
}

export function makeMe(patch: Partial<User> = {}): Me {
  return { user: makeUser(patch), via: 'session', scopes: [] };
}

/** Seeds the ['me'] query (fresh for a minute, so it is not fetched): `null` is anonymous. */
export function seedMe(client: QueryClient, me: Me | null): QueryClient {
  client.setQueryData(queryKeys.me, me);
  return client;
}
