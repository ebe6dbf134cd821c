import { quotaBytes, quotaInput, userStatus } from './users';

describe('userStatus', () => {
  it('names disabled before pending approval', () => {
    expect(userStatus({ disabled: false, approved: true })).toBe('active');
    expect(userStatus({ disabled: false, approved: false })).toBe('pending');
    expect(userStatus({ disabled: true, approved: false })).toBe('disabled');
  });
});

describe('quotas in human units', () => {
  it('shows bytes in the largest unit that keeps them exact enough', () => {
    expect(quotaInput(5 * 1024 ** 3)).toEqual({ value: '5', unit: 'GB' });
    expect(quotaInput(1.5 * 1024 ** 3)).toEqual({ value: '1.5', unit: 'GB' });
    expect(quotaInput(2 * 1024 ** 4)).toEqual({ value: '2', unit: 'TB' });
    expect(quotaInput(300 * 1024 ** 2)).toEqual({ value: '300', unit: 'MB' });
    expect(quotaInput(null)).toEqual({ value: '', unit: 'GB' });
  });
  it('turns what was typed into bytes; empty is no limit', () => {
    expect(quotaBytes({ value: '5', unit: 'GB' })).toEqual({ ok: true, bytes: 5 * 1024 ** 3 });
    expect(quotaBytes({ value: ' 1.5 ', unit: 'TB' })).toEqual({ ok: true, bytes: 1.5 * 1024 ** 4 });
    expect(quotaBytes({ value: '', unit: 'MB' })).toEqual({ ok: true, bytes: null });
    expect(quotaBytes({ value: '-1', unit: 'MB' }).ok).toBe(false);
    expect(quotaBytes({ value: '5 GB', unit: 'MB' }).ok).toBe(false);
  });
  it('round-trips', () => {
    for (const bytes of [1024 ** 2, 750 * 1024 ** 2, 10 * 1024 ** 3, 3 * 1024 ** 4]) {
      expect(quotaBytes(quotaInput(bytes))).toEqual({ ok: true, bytes });
    }
  });
});
