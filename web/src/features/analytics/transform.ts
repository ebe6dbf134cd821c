import type { DayCount, Stats, VideoStatus } from '@/api/types';

export interface DailyPoint {
  day: string;
  uploads: number;
  views: number;
  likes: number;
}

/** Joins the per-day series on `day`, filling gaps between the first and last day with zeros. */
export function mergeDaily(uploads: DayCount[], views: DayCount[], likes: DayCount[] = []): DailyPoint[] {
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
  const start = Date.parse(`${days[0]}T00:00:00Z`);
  const end = Date.parse(`${days[days.length - 1]}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || (end - start) / 86_400_000 > 366) {
    return days.map((d) => map.get(d)!);
  }
  for (let t = start; t <= end; t += 86_400_000) {
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
