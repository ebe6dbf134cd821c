import { rangeFromParams, rangeToParams, relativeChange, resolveRange } from './dateRange';

describe('date ranges', () => {
  const now = Date.parse('2026-12-05T15:42:31.250Z');

  it('reads presets and chosen days from the URL, the last 28 days by default', () => {
    expect(rangeFromParams(new URLSearchParams(''))).toEqual({ preset: '28d' });
    expect(rangeFromParams(new URLSearchParams('range=7d'))).toEqual({ preset: '7d' });
    expect(rangeFromParams(new URLSearchParams('range=bogus'))).toEqual({ preset: '28d' });
    expect(rangeFromParams(new URLSearchParams('from=2026-11-01&to=2026-11-30'))).toEqual({
      preset: 'custom',
      from: '2026-11-01',
      to: '2026-11-30',
    });
    // reversed, malformed or too long: the default
    expect(rangeFromParams(new URLSearchParams('from=2026-11-30&to=2026-11-01'))).toEqual({ preset: '28d' });
    expect(rangeFromParams(new URLSearchParams('from=2026-13-40&to=2026-11-01'))).toEqual({ preset: '28d' });
    expect(rangeFromParams(new URLSearchParams('from=2020-01-01&to=2026-11-01'))).toEqual({ preset: '28d' });
  });

  it('writes the choice back, keeping other parameters', () => {
    const base = new URLSearchParams('interval=day&range=90d');
    expect(rangeToParams({ preset: '28d' }, base).toString()).toBe('interval=day');
    expect(rangeToParams({ preset: '7d' }, base).toString()).toBe('interval=day&range=7d');
    expect(rangeToParams({ preset: 'custom', from: '2026-11-01', to: '2026-11-02' }, base).toString()).toBe(
      'interval=day&from=2026-11-01&to=2026-11-02',
    );
  });

  it('resolves presets to the minute and chosen days to whole UTC days', () => {
    expect(resolveRange({ preset: '7d' }, now)).toEqual({
      from: '2026-11-28T15:42:00Z',
      to: '2026-12-05T15:42:00Z',
      days: 7,
      label: 'Last 7 days',
    });
    expect(resolveRange({ preset: 'custom', from: '2026-11-01', to: '2026-11-30' }, now)).toMatchObject({
      from: '2026-11-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
      days: 30,
    });
  });

  it('computes the change against the previous period', () => {
    expect(relativeChange(150, 100)).toBeCloseTo(0.5);
    expect(relativeChange(50, 100)).toBeCloseTo(-0.5);
    expect(relativeChange(0, 0)).toBe(0);
    expect(relativeChange(5, 0)).toBeNull();
    expect(relativeChange(null, 3)).toBeNull();
  });
});
