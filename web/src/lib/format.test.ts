import {
  formatBitrate,
  formatBytes,
  formatCount,
  formatDay,
  epochToIso,
  formatDuration,
  formatEpoch,
  formatEta,
  formatPercent,
  formatRate,
  formatRelative,
  formatSeconds,
} from './format';

describe('formatBytes', () => {
  it('formats small and large sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(500 * 1024 * 1024)).toBe('500 MB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.3 GB');
  });
  it('handles missing or invalid input', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('uses m:ss below an hour', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(125.9)).toBe('2:05');
    expect(formatDuration(3599)).toBe('59:59');
  });
  it('uses h:mm:ss from an hour', () => {
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
  it('handles null', () => {
    expect(formatDuration(null)).toBe('—');
  });
});

describe('formatEta / formatRate / formatBitrate / formatSeconds', () => {
  it('formats time left', () => {
    expect(formatEta(0.2)).toBe('1s');
    expect(formatEta(59)).toBe('59s');
    expect(formatEta(184)).toBe('3m 4s');
    expect(formatEta(3720)).toBe('1h 2m');
    expect(formatEta(Infinity)).toBe('—');
  });
  it('formats transfer rates', () => {
    expect(formatRate(2.5 * 1024 * 1024)).toBe('2.5 MB/s');
    expect(formatRate(0)).toBe('—');
  });
  it('formats bitrates', () => {
    expect(formatBitrate(4_200_000)).toBe('4.2 Mbps');
    expect(formatBitrate(128_000)).toBe('128 kbps');
    expect(formatBitrate(null)).toBe('—');
  });
  it('formats processing seconds', () => {
    expect(formatSeconds(0.42)).toBe('0.42 s');
    expect(formatSeconds(12.34)).toBe('12.3 s');
    expect(formatSeconds(125)).toBe('2:05');
    expect(formatSeconds(null)).toBe('—');
  });
});

describe('formatPercent / formatCount / formatDay / formatRelative', () => {
  it('formats ratios as percentages', () => {
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats counts', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatCount(1_234_567, true)).toBe('1.2M');
  });
  it('formats UTC day keys', () => {
    expect(formatDay('2025-01-31')).toBe('Jan 31');
  });
  it('formats relative times', () => {
    const now = Date.parse('2025-01-31T12:00:00Z');
    expect(formatRelative('2025-01-31T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2025-01-30T12:00:00Z', now)).toBe('yesterday');
    expect(formatRelative(null, now)).toBe('—');
  });
});

describe('formatEpoch / epochToIso', () => {
  it('reads epoch seconds, epoch milliseconds and ISO strings alike', () => {
    expect(epochToIso(1_738_324_800)).toBe('2025-01-31T12:00:00.000Z');
    expect(epochToIso(1_738_324_800_000)).toBe('2025-01-31T12:00:00.000Z');
    expect(epochToIso('1738324800')).toBe('2025-01-31T12:00:00.000Z');
    expect(epochToIso('2025-01-31T12:00:00Z')).toBe('2025-01-31T12:00:00.000Z');
  });
  it('shows a dash for nothing', () => {
    expect(epochToIso(null)).toBeNull();
    expect(epochToIso('not a time')).toBeNull();
    expect(formatEpoch(undefined)).toBe('—');
    expect(formatEpoch(1_738_324_800)).toMatch(/Jan 31, 2025/);
  });
});
