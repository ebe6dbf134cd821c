import { api, apiPath } from './client';
import type { UserAnswer, UserChange } from './authTypes';

/** PATCH /api/admin/users/{user_id} → 200: role, disabled, approved, quotas (each only when set). */
export async function adminUpdateUser(userId: string, change: UserChange): Promise<UserAnswer> {
  const res = await api.patch<UserAnswer>(apiPath('/api/admin/users/{user_id}', { user_id: userId }), change);
  return res.data;
}
