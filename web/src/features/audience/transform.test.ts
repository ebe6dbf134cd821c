import { breakdownValue, formatMs, mergeTimeseries, retentionSeries, startupBars } from './transform';

const span = { video_id: 'v', from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z' };

describe('audience transforms', () => {
  it('uses per-second retention when present, with the re-watches of each second’s percent', () => {
    const points = Array.from({ length: 100 }, (_, i) => 1 - i / 100);
    const rewatch = Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 0.5));
    const s = retentionSeries({
      ...span,
      duration_seconds: 10,
      plays: 2,
      points,
      rewatch_points: rewatch,
      seconds: [1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
    });
    expect(s).toHaveLength(10);
    expect(s[2]).toEqual({ time: 2, retention: 0.5, rewatch: 0 });
    expect(s[7]).toEqual({ time: 7, retention: 0.5, rewatch: 0.5 });
    const b = retentionSeries({
      ...span,
      duration_seconds: 200,
      plays: 2,
      points,
      rewatch_points: rewatch,
      seconds: null,
    });
    expect(b).toHaveLength(100);
    expect(b[50]).toEqual({ time: 100, retention: 0.5, rewatch: 0.5 });
  });

  it('joins views and watch time per interval', () => {
    expect(
      mergeTimeseries(
        [
          { t: '2026-12-02T00:00:00Z', value: 3 },
          { t: '2026-12-01T00:00:00Z', value: 1 },
        ],
        [{ t: '2026-12-02T00:00:00Z', value: 90 }],
      ),
    ).toEqual([
      { t: '2026-12-01T00:00:00Z', views: 1, watchMinutes: 0 },
      { t: '2026-12-02T00:00:00Z', views: 3, watchMinutes: 1.5 },
    ]);
  });

  it('labels the startup histogram and the breakdown values', () => {
    expect(
      startupBars([
        { le_ms: 250, count: 1 },
        { le_ms: 1000, count: 2 },
        { le_ms: '+Inf', count: 3 },
      ]).map((b) => b.label),
    ).toEqual(['≤ 250 ms', '≤ 1 s', '> 1 s']);
    expect(formatMs(1450)).toBe('1.45 s');
    expect(breakdownValue('referrer', { value: '', plays: 1, views: 0, watch_time_seconds: 0 })).toBe('Direct / none');
    expect(breakdownValue('surface', { value: 'embed', plays: 1, views: 0, watch_time_seconds: 0 })).toBe(
      'Embedded player',
    );
  });
});
