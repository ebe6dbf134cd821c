import type { DayCount, DurationBucket, Stats, VideoStatus } from '@/api/types';

export interface DailyPoint {
  day: string;
  uploads: number;
  views: number;
  likes: number;
}

export interface DailyWindow {
  /** Last day to show ("2026-11-24"), e.g. today, even when nothing happened on it. */
  until?: string;
  /** Show at least this many days, ending at the last day, so one busy day is not a lone dot. */
  minDays?: number;
}

/** Joins the per-day series on `day`, filling gaps (and the optional window) with zeros. */
export function mergeDaily(
  uploads: DayCount[],
  views: DayCount[],
  likes: DayCount[] = [],
  window: DailyWindow = {},
): DailyPoint[] {
  const map = new Map<string, DailyPoint>();
  const get = (day: string) => {
    let p = map.get(day);
    if (!p) {
      p = { day, uploads: 0, views: 0, likes: 0 };
      map.set(day, p);
    }
    return p;
  };
  for (const d of uploads) get(d.day).uploads += d.count;
  for (const d of views) get(d.day).views += d.count;
  for (const d of likes) get(d.day).likes += d.count;
  const days = [...map.keys()].sort();
  if (days.length === 0) return [];
  const out: DailyPoint[] = [];
  const DAY = 86_400_000;
  let start = Date.parse(`${days[0]}T00:00:00Z`);
  let end = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  const until = window.until ? Date.parse(`${window.until}T00:00:00Z`) : NaN;
  if (!Number.isNaN(until) && until > end) end = until;
  if (window.minDays && end - start < (window.minDays - 1) * DAY) start = end - (window.minDays - 1) * DAY;
  if (Number.isNaN(start) || Number.isNaN(end) || (end - start) / DAY > 366) {
    return days.map((d) => map.get(d)!);
  }
  for (let t = start; t <= end; t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(map.get(day) ?? { day, uploads: 0, views: 0, likes: 0 });
  }
  return out;
}

export const STATUS_COLORS: Record<VideoStatus, string> = {
  PROCESSED: '#10b981',
  PROCESSING: '#f59e0b',
  UPLOADED: '#38bdf8',
  FAILED: '#f43f5e',
};

export function statusBreakdown(stats: Pick<Stats, 'videos_by_status'>) {
  const order: VideoStatus[] = ['PROCESSED', 'PROCESSING', 'UPLOADED', 'FAILED'];
  return order
    .map((status) => ({ status, count: stats.videos_by_status?.[status] ?? 0, fill: STATUS_COLORS[status] }))
    .filter((s) => s.count > 0);
}

export function formatBreakdown(stats: Pick<Stats, 'videos_by_format'>) {
  return Object.entries(stats.videos_by_format ?? {})
    .map(([format, count]) => ({ format: format.toUpperCase(), count }))
    .sort((a, b) => b.count - a.count || a.format.localeCompare(b.format));
}

/** "45s", "2m", "1h", "1.5h": a bucket bound, short enough for an axis tick. */
export function formatBound(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${+(seconds / 60).toFixed(1)}m`;
  return `${+(seconds / 3600).toFixed(1)}h`;
}

/** Histogram bars with short labels: "<30s", "30s–2m", …, "≥1h". */
export function durationBars(buckets: DurationBucket[] | undefined) {
  return (buckets ?? []).map((b) => ({
    range:
      b.max_seconds == null
        ? `≥${formatBound(b.min_seconds)}`
        : b.min_seconds === 0
          ? `<${formatBound(b.max_seconds)}`
          : `${formatBound(b.min_seconds)}–${formatBound(b.max_seconds)}`,
    count: b.count,
  }));
}
