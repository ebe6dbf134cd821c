// Audience analytics (docs/analytics.md, "API"): requests for the report endpoints, typed from
// the generated schema (api/openapi.json). Percentages are fractions 0–1.

import { api } from './client';
import type { components } from './schema.gen';

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

type Schemas = components['schemas'];

/** The figures of one period. */
export type AudienceFigures = Schemas['AudienceFigures'];
/** GET /api/analytics/videos/{id}/overview */
export type VideoOverview = Schemas['AudienceVideoOverview'];
/** GET /api/analytics/videos/{id}/timeseries/{metric} */
export type Timeseries = Schemas['AudienceTimeseries'];
export type TimeseriesPoint = Timeseries['points'][number];
/** GET /api/analytics/videos/{id}/retention */
export type Retention = Schemas['AudienceRetention'];
/** GET /api/analytics/videos/{id}/breakdown/{dimension} */
export type Breakdown = Schemas['AudienceBreakdown'];
export type BreakdownItem = Breakdown['items'][number];
/** GET /api/analytics/videos/{id}/qoe */
export type Qoe = Schemas['AudienceQoe'];
/** GET /api/analytics/realtime */
export type Realtime = Schemas['AudienceRealtime'];
/** GET /api/analytics/overview */
export type SiteOverview = Schemas['AudienceSiteOverview'];
export type TopVideo = SiteOverview['top_videos'][number];

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
