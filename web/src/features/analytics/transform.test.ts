import { formatBreakdown, mergeDaily, statusBreakdown } from './transform';

describe('mergeDaily', () => {
  it('joins series by day and fills gaps', () => {
    const out = mergeDaily(
      [{ day: '2025-01-01', count: 2 }, { day: '2025-01-03', count: 1 }],
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
});

describe('breakdowns', () => {
  it('drops empty statuses and sorts formats by count', () => {
    expect(statusBreakdown({ videos_by_status: { PROCESSED: 3, PROCESSING: 0, UPLOADED: 1, FAILED: 0 } }).map((s) => s.status)).toEqual([
      'PROCESSED',
      'UPLOADED',
    ]);
    expect(formatBreakdown({ videos_by_format: { mov: 1, mp4: 5, avi: 1 } })).toEqual([
      { format: 'MP4', count: 5 },
      { format: 'AVI', count: 1 },
      { format: 'MOV', count: 1 },
    ]);
  });
});
