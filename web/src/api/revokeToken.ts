import { api, apiPath } from './client';

/** DELETE /api/auth/tokens/{token_id} → 204. */
export async function revokeToken(tokenId: string): Promise<void> {
  await api.delete(apiPath('/api/auth/tokens/{token_id}', { token_id: tokenId }));
}
