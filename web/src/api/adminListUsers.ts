import { api, apiPath } from './client';
import type { UserList } from './authTypes';

/** GET /api/admin/users (manage_users). */
export async function adminListUsers(signal?: AbortSignal): Promise<UserList> {
  const res = await api.get<UserList>(apiPath('/api/admin/users'), { signal });
  return res.data;
}
