import { api, apiPath } from './client';
import type { GeneratedPassword } from './authTypes';

/**
 * POST /api/admin/users/{user_id}/reset-password → 200 with a generated password, shown once; the
 * user must change it at next sign-in, and their sessions end.
 */
export async function adminResetPassword(userId: string): Promise<GeneratedPassword> {
  const res = await api.post<GeneratedPassword>(
    apiPath('/api/admin/users/{user_id}/reset-password', { user_id: userId }),
  );
  return res.data;
}
