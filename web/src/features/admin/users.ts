// The admin users page's pure logic: a user's status, and quotas between bytes (what the API
// takes) and a number with a unit (what a person types).

import type { User } from '@/api/authTypes';

export type UserStatus = 'active' | 'disabled' | 'pending';

/** Disabled wins over waiting for approval: neither can sign in, and enabling comes first. */
export function userStatus(user: Pick<User, 'disabled' | 'approved'>): UserStatus {
  if (user.disabled) return 'disabled';
  if (!user.approved) return 'pending';
  return 'active';
}

export const QUOTA_UNITS = ['MB', 'GB', 'TB'] as const;
export type QuotaUnit = (typeof QUOTA_UNITS)[number];
const FACTOR: Record<QuotaUnit, number> = { MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

export interface QuotaInput {
  /** As typed: "", "5", "1.5". Empty means no limit. */
  value: string;
  unit: QuotaUnit;
}

/** Bytes → the largest unit that shows it in at most two decimals ("5 GB", "1.5 GB", "300 MB"). */
export function quotaInput(bytes: number | null | undefined): QuotaInput {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return { value: '', unit: 'GB' };
  for (const unit of [...QUOTA_UNITS].reverse()) {
    const v = bytes / FACTOR[unit];
    if (v >= 1 && Math.abs(Math.round(v * 100) / 100 - v) * FACTOR[unit] < 1) {
      return { value: String(Math.round(v * 100) / 100), unit };
    }
  }
  return { value: String(Math.round((bytes / FACTOR.MB) * 100) / 100), unit: 'MB' };
}

/** The quota in bytes (null: no limit), or why the input is not one. */
export function quotaBytes(input: QuotaInput): { ok: true; bytes: number | null } | { ok: false; error: string } {
  const text = input.value.trim();
  if (!text) return { ok: true, bytes: null };
  if (!/^\d+(\.\d+)?$/.test(text)) return { ok: false, error: 'A quota is a number, such as 5 or 1.5.' };
  return { ok: true, bytes: Math.round(Number(text) * FACTOR[input.unit]) };
}
