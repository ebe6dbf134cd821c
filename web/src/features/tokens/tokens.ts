// The tokens page's pure logic: what a token's state is, and turning the create form into the
// request (docs/auth.md: a name, scopes, and 1–365 days or no expiry).

import type { NewToken, Scope, TokenInfo } from '@/api/authTypes';
import { epochToIso } from '@/lib/format';

export type TokenState = 'active' | 'expired' | 'revoked';

export function tokenState(token: TokenInfo, now: number = Date.now()): TokenState {
  if (token.revoked) return 'revoked';
  const expires = epochToIso(token.expires_at);
  if (expires && Date.parse(expires) <= now) return 'expired';
  return 'active';
}

export const SCOPE_INFO: Record<Scope, { label: string; description: string }> = {
  'videos:read': { label: 'videos:read', description: 'List, search and read videos and their media.' },
  'videos:write': { label: 'videos:write', description: 'Upload, edit, delete and like videos.' },
  'analytics:read': { label: 'analytics:read', description: 'Read statistics.' },
  admin: { label: 'admin', description: 'Manage users (works only for an admin’s token).' },
};

export interface TokenForm {
  name: string;
  scopes: Scope[];
  /** The days field as typed. */
  days: string;
  neverExpires: boolean;
}

export const MAX_TOKEN_DAYS = 365;

/** The request for the form, or why it cannot be sent. */
export function tokenRequest(form: TokenForm): { ok: true; request: NewToken } | { ok: false; error: string } {
  const name = form.name.trim();
  if (!name) return { ok: false, error: 'Give the token a name, so you can tell it apart later.' };
  if (form.scopes.length === 0) return { ok: false, error: 'Choose at least one scope.' };
  let days: number | null = null;
  if (!form.neverExpires) {
    const text = form.days.trim();
    days = Number(text);
    if (!/^\d+$/.test(text) || days < 1 || days > MAX_TOKEN_DAYS) {
      return { ok: false, error: `Expiry must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}.` };
    }
  }
  return { ok: true, request: { name, scopes: form.scopes, expires_in_days: days } };
}
