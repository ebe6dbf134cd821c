// Audience analytics (docs/analytics.md, "API"): HAND-WRITTEN types and requests until
// api/openapi.json describes these endpoints; then regenerate (`npm run api:generate`), point the
// types below at the generated schemas and let tsc show what moved. Percentages are fractions 0–1.

import { api } from './client';

/** `from`/`to` as ISO date-times (UTC); the server's default is the last 28 days. */
export interface DateRange {
  from: string;
  to: string;
}

export type Interval = 'hour' | 'day';

export type TimeseriesMetric =
  'plays' | 'views' | 'watch_time_seconds' | 'unique_viewers' | 'startup_time_ms_p50' | 'rebuffer_percentage';

export type Dimension = 'country' | 'device' | 'browser' | 'os' | 'referrer' | 'surface' | 'embed_host';
export const DIMENSIONS: readonly Dimension[] = [
  'country',
  'device',
  'browser',
  'os',
  'referrer',
  'surface',
  'embed_host',
];

/** The figures of one period. */
export interface AudienceFigures {
  plays: number;
  views: number;
  unique_viewers: number;
  watch_time_seconds: number;
  avg_view_duration_seconds: number | null;
  avg_percentage_viewed: number | null;
  completion_rate: number | null;
  startup_time_ms_p50: number | null;
  startup_time_ms_p95: number | null;
  rebuffer_percentage: number | null;
  likes?: number | null;
  from?: string;
  to?: string;
}

/** GET /api/analytics/videos/{id}/overview */
export interface VideoOverview extends AudienceFigures {
  previous?: AudienceFigures | null;
}

export interface TimeseriesPoint {
  t: string;
  value: number | null;
}

/** GET /api/analytics/videos/{id}/timeseries/{metric} */
export interface Timeseries {
  metric: TimeseriesMetric;
  interval: Interval;
  points: TimeseriesPoint[];
}

/** GET /api/analytics/videos/{id}/retention */
export interface Retention {
  duration_seconds: number | null;
  plays: number;
  /** 100 fractions. */
  points: number[];
  rewatch_points: number[];
  /** One fraction per second (videos up to 10 minutes), or null. */
  seconds: number[] | null;
}

export interface BreakdownItem {
  value: string | null;
  plays: number;
  views: number;
  watch_time_seconds: number;
}

/** GET /api/analytics/videos/{id}/breakdown/{dimension} */
export interface Breakdown {
  dimension: Dimension;
  items: BreakdownItem[];
}

export interface QoeScores {
  playback_success: number | null;
  startup: number | null;
  smoothness: number | null;
  video_quality: number | null;
  overall: number | null;
}

/** GET /api/analytics/videos/{id}/qoe */
export interface Qoe {
  plays?: number;
  startup_time_ms_p50: number | null;
  startup_time_ms_p95: number | null;
  exits_before_start: number | null;
  playback_failure_percentage: number | null;
  rebuffer_percentage: number | null;
  rebuffer_frequency: number | null;
  rendition_switches: number | null;
  avg_bitrate: number | null;
  upscale_percentage: number | null;
  /** Counts of startups at or under each bound (the last bound may be null: the rest). */
  startup_histogram: Array<{ le_ms: number | null; count: number }>;
  scores: QoeScores;
}

/** GET /api/analytics/realtime */
export interface Realtime {
  viewers_now: number;
  peak_today: number;
  videos: Array<{ video_id: string; title: string; viewers: number }>;
}

export interface TopVideo {
  video_id: string;
  title: string;
  views: number;
  watch_time_seconds: number;
}

/** GET /api/analytics/overview */
export interface SiteOverview extends VideoOverview {
  top_videos: TopVideo[];
}

const videoBase = (id: string) => `/api/analytics/videos/${encodeURIComponent(id)}`;
const rangeParams = (range?: DateRange): Record<string, string> => (range ? { from: range.from, to: range.to } : {});

async function get<T>(url: string, params: Record<string, string>, signal?: AbortSignal): Promise<T> {
  const res = await api.get<T>(url, { params, signal });
  return res.data;
}

export function getVideoOverview(id: string, range?: DateRange, signal?: AbortSignal): Promise<VideoOverview> {
  return get(`${videoBase(id)}/overview`, rangeParams(range), signal);
}

export function getVideoTimeseries(
  id: string,
  metric: TimeseriesMetric,
  interval: Interval,
  range?: DateRange,
  signal?: AbortSignal,
): Promise<Timeseries> {
  return get(`${videoBase(id)}/timeseries/${metric}`, { ...rangeParams(range), interval }, signal);
}

export function getVideoRetention(id: string, range?: DateRange, signal?: AbortSignal): Promise<Retention> {
  return get(`${videoBase(id)}/retention`, rangeParams(range), signal);
}

export function getVideoBreakdown(
  id: string,
  dimension: Dimension,
  range?: DateRange,
  signal?: AbortSignal,
): Promise<Breakdown> {
  return get(`${videoBase(id)}/breakdown/${dimension}`, rangeParams(range), signal);
}

export function getVideoQoe(id: string, range?: DateRange, signal?: AbortSignal): Promise<Qoe> {
  return get(`${videoBase(id)}/qoe`, rangeParams(range), signal);
}

export function getRealtime(signal?: AbortSignal): Promise<Realtime> {
  return get('/api/analytics/realtime', {}, signal);
}

export function getSiteOverview(range?: DateRange, signal?: AbortSignal): Promise<SiteOverview> {
  return get('/api/analytics/overview', rangeParams(range), signal);
}

/** The CSV of the view sessions in a range (a plain link: the browser downloads it with the cookie). */
export function sessionsExportUrl(range: DateRange, videoId?: string): string {
  const q = new URLSearchParams({ format: 'csv', from: range.from, to: range.to });
  if (videoId) q.set('video_id', videoId);
  return `/api/analytics/sessions/export?${q.toString()}`;
}

/** TanStack Query keys and options for these endpoints. */
export const audienceKeys = {
  all: ['audience'] as const,
  video: (id: string) => ['audience', 'video', id] as const,
};
