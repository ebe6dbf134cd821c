import { durationBars, formatBound, formatBreakdown, mergeDaily, statusBreakdown } from './transform';

describe('mergeDaily', () => {
  it('joins series by day and fills gaps', () => {
    const out = mergeDaily(
      [
        { day: '2025-01-01', count: 2 },
        { day: '2025-01-03', count: 1 },
      ],
      [{ day: '2025-01-03', count: 10 }],
      [{ day: '2025-01-02', count: 4 }],
    );
    expect(out).toEqual([
      { day: '2025-01-01', uploads: 2, views: 0, likes: 0 },
      { day: '2025-01-02', uploads: 0, views: 0, likes: 4 },
      { day: '2025-01-03', uploads: 1, views: 10, likes: 0 },
    ]);
  });
  it('is empty without data', () => {
    expect(mergeDaily([], [])).toEqual([]);
  });
  it('extends to the last day asked for and to a minimum window', () => {
    const out = mergeDaily([{ day: '2025-01-10', count: 1 }], [], [], { until: '2025-01-12', minDays: 7 });
    expect(out.map((p) => p.day)).toEqual([
      '2025-01-06',
      '2025-01-07',
      '2025-01-08',
      '2025-01-09',
      '2025-01-10',
      '2025-01-11',
      '2025-01-12',
    ]);
    expect(out.find((p) => p.day === '2025-01-10')?.uploads).toBe(1);
    expect(out.reduce((n, p) => n + p.uploads + p.views + p.likes, 0)).toBe(1);
  });
});

describe('breakdowns', () => {
  it('drops empty statuses and sorts formats by count', () => {
    expect(
      statusBreakdown({ videos_by_status: { PROCESSED: 3, PROCESSING: 0, UPLOADED: 1, FAILED: 0 } }).map(
        (s) => s.status,
      ),
    ).toEqual(['PROCESSED', 'UPLOADED']);
    expect(formatBreakdown({ videos_by_format: { mov: 1, mp4: 5, avi: 1 } })).toEqual([
      { format: 'MP4', count: 5 },
      { format: 'AVI', count: 1 },
      { format: 'MOV', count: 1 },
    ]);
  });
});

describe('duration histogram', () => {
  it('labels each bucket in the unit that reads best', () => {
    const buckets = [
      { min_seconds: 0, max_seconds: 30, count: 2 },
      { min_seconds: 30, max_seconds: 120, count: 0 },
      { min_seconds: 120, max_seconds: 300, count: 1 },
      { min_seconds: 300, max_seconds: 900, count: 0 },
      { min_seconds: 900, max_seconds: 3600, count: 0 },
      { min_seconds: 3600, max_seconds: null, count: 4 },
    ];
    expect(durationBars(buckets)).toEqual([
      { range: '<30s', count: 2 },
      { range: '30s–2m', count: 0 },
      { range: '2m–5m', count: 1 },
      { range: '5m–15m', count: 0 },
      { range: '15m–1h', count: 0 },
      { range: '≥1h', count: 4 },
    ]);
  });

  it('copes with a server that sends no histogram', () => {
    expect(durationBars(undefined)).toEqual([]);
  });

  it('formats bounds', () => {
    expect(formatBound(45)).toBe('45s');
    expect(formatBound(90)).toBe('1.5m');
    expect(formatBound(5400)).toBe('1.5h');
  });
});
