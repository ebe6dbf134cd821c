// Shapes the audience API's answers for the charts. Pure functions.
import type { BreakdownItem, Dimension, Qoe, Retention, TimeseriesPoint } from '@/api/audience';

export interface RetentionPoint {
  /** Seconds into the video. */
  time: number;
  /** Share of plays that watched this moment (first plays), 0–1. */
  retention: number;
  /** Repeated plays of this moment per play, 0–1 or more. */
  rewatch: number | null;
}

/**
 * The retention curve: one point per second when the server has them (videos up to 10 minutes),
 * else one per percent of the duration. Re-watches exist per percent; a second takes its percent's.
 */
export function retentionSeries(r: Retention, fallbackDuration?: number | null): RetentionPoint[] {
  const duration = r.duration_seconds ?? fallbackDuration ?? null;
  const rewatchAt = (fraction: number) => {
    if (!r.rewatch_points?.length) return null;
    const i = Math.min(r.rewatch_points.length - 1, Math.max(0, Math.floor(fraction * r.rewatch_points.length)));
    return r.rewatch_points[i] ?? null;
  };
  if (r.seconds && r.seconds.length > 0) {
    const d = duration ?? r.seconds.length;
    return r.seconds.map((v, i) => ({ time: i, retention: v, rewatch: rewatchAt(d > 0 ? i / d : 0) }));
  }
  const n = r.points.length || 100;
  const d = duration ?? n;
  return r.points.map((v, i) => ({ time: (i * d) / n, retention: v, rewatch: r.rewatch_points?.[i] ?? null }));
}

export interface TimePoint {
  t: string;
  views: number;
  watchMinutes: number;
}

/** Views and watch time (minutes) per interval, joined on `t`. */
export function mergeTimeseries(views: TimeseriesPoint[], watch: TimeseriesPoint[]): TimePoint[] {
  const byT = new Map<string, TimePoint>();
  for (const p of views) byT.set(p.t, { t: p.t, views: p.value ?? 0, watchMinutes: 0 });
  for (const p of watch) {
    const row = byT.get(p.t) ?? { t: p.t, views: 0, watchMinutes: 0 };
    row.watchMinutes = Math.round(((p.value ?? 0) / 60) * 100) / 100;
    byT.set(p.t, row);
  }
  return [...byT.values()].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
}

/** "≤ 500 ms" bars from the startup histogram's cumulative-bound buckets. */
export function startupBars(h: Qoe['startup_histogram']): Array<{ label: string; count: number }> {
  let prev: number | null = null;
  return h.map((b) => {
    const bound = typeof b.le_ms === 'number' ? b.le_ms : null;
    const label = bound === null ? `> ${formatMs(prev)}` : `≤ ${formatMs(bound)}`;
    prev = bound ?? prev;
    return { label, count: b.count };
  });
}

/** 412 → "412 ms", 1450 → "1.45 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(2))} s`;
}

const DIMENSION_LABELS: Record<Dimension, string> = {
  country: 'Country',
  device: 'Device',
  browser: 'Browser',
  os: 'OS',
  referrer: 'Referrer',
  surface: 'Surface',
  embed_host: 'Embedding site',
};

export function dimensionLabel(d: Dimension): string {
  return DIMENSION_LABELS[d];
}

/** What an empty value of a dimension means. */
export function breakdownValue(d: Dimension, item: BreakdownItem): string {
  if (item.value) {
    if (d === 'surface')
      return item.value === 'embed' ? 'Embedded player' : item.value === 'watch' ? 'Watch page' : item.value;
    return item.value;
  }
  return d === 'referrer' ? 'Direct / none' : d === 'embed_host' ? 'Not embedded' : 'Unknown';
}
