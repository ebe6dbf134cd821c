import { api, apiPath } from './client';
import type { CreatedUser, NewUser } from './authTypes';

/** POST /api/admin/users → 201; `password` in the answer only when the server generated it. */
export async function adminCreateUser(user: NewUser): Promise<CreatedUser> {
  const res = await api.post<CreatedUser>(apiPath('/api/admin/users'), user);
  return res.data;
}
