import type { TokenInfo } from '@/api/authTypes';
import { tokenRequest, tokenState } from './tokens';

const token = (patch: Partial<TokenInfo>): TokenInfo => ({
  token_id: 't1',
  name: 'script',
  hint: 'kin_Ab3d…wxyz',
  scopes: ['videos:read'],
  created_at: 1_738_300_000,
  expires_at: null,
  last_used_at: null,
  revoked: false,
  ...patch,
});

describe('tokenState', () => {
  const now = Date.parse('2025-01-31T12:00:00Z');
  it('is revoked before anything else, then expired by expires_at', () => {
    expect(tokenState(token({ revoked: true, expires_at: 1 }), now)).toBe('revoked');
    expect(tokenState(token({ expires_at: now / 1000 - 1 }), now)).toBe('expired');
    expect(tokenState(token({ expires_at: '2025-02-01T00:00:00Z' }), now)).toBe('active');
    expect(tokenState(token({ expires_at: null }), now)).toBe('active');
  });
});

describe('tokenRequest', () => {
  const form = { name: ' nightly ', scopes: ['videos:write' as const], days: '30', neverExpires: false };
  it('makes the request docs/auth.md describes', () => {
    expect(tokenRequest(form)).toEqual({
      ok: true,
      request: { name: 'nightly', scopes: ['videos:write'], expires_in_days: 30 },
    });
    expect(tokenRequest({ ...form, days: 'ignored', neverExpires: true })).toEqual({
      ok: true,
      request: { name: 'nightly', scopes: ['videos:write'], expires_in_days: null },
    });
  });
  it('refuses what the server would', () => {
    expect(tokenRequest({ ...form, name: '  ' }).ok).toBe(false);
    expect(tokenRequest({ ...form, scopes: [] }).ok).toBe(false);
    for (const days of ['0', '366', '1.5', '-3', '']) {
      expect(tokenRequest({ ...form, days })).toMatchObject({ ok: false, error: expect.stringMatching(/1 to 365/) });
    }
    expect(tokenRequest({ ...form, days: '365' }).ok).toBe(true);
  });
});
