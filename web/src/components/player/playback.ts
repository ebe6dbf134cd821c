import type { Video } from '@/api/types';

export type PlaybackSource =
  { kind: 'hls'; url: string; fallback: string | null } | { kind: 'mp4'; url: string } | { kind: 'none' };

/** HLS through hls.js when it can run; otherwise (or without a playlist) the progressive MP4. */
export function choosePlaybackSource(
  video: Pick<Video, 'hls_url' | 'video_url'>,
  hlsSupported: boolean,
): PlaybackSource {
  if (video.hls_url && hlsSupported) return { kind: 'hls', url: video.hls_url, fallback: video.video_url };
  if (video.video_url) return { kind: 'mp4', url: video.video_url };
  return { kind: 'none' };
}

export interface QualityLevel {
  index: number;
  label: string;
}

/** Labels hls.js levels by height ("720p"), adding the bitrate when two share a height. */
export function qualityLevels(levels: Array<{ height?: number; bitrate?: number; name?: string }>): QualityLevel[] {
  const heights = levels.map((l) => l.height ?? 0);
  return levels
    .map((l, index) => {
      const h = l.height ?? 0;
      const dup = heights.filter((x) => x === h).length > 1;
      const base = h ? `${h}p` : l.name || `Level ${index + 1}`;
      const label = dup && l.bitrate ? `${base} (${Math.round(l.bitrate / 1000)} kbps)` : base;
      return { index, label };
    })
    .sort((a, b) => (levels[b.index].height ?? 0) - (levels[a.index].height ?? 0));
}

/** When a signed media URL stops working: its `expires` (Unix seconds) in milliseconds, or null. */
export function urlExpiryMs(url: string | null | undefined): number | null {
  if (!url) return null;
  const query = url.split('#')[0].split('?')[1];
  if (!query) return null;
  const expires = new URLSearchParams(query).get('expires');
  const seconds = expires === null ? NaN : Number(expires);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** Fetch fresh URLs this long before the old ones expire (a fetch and a reload fit well inside). */
export const REFRESH_MARGIN_MS = 60_000;
const MIN_REFRESH_DELAY_MS = 5_000;

/**
 * How long until the player should fetch fresh signed URLs: a margin before the earliest expiry
 * among `urls`, at least a few seconds (short-lived URLs are refreshed at about a tenth of their
 * life before the end), or null when no URL expires.
 */
export function refreshDelayMs(urls: Array<string | null | undefined>, nowMs: number): number | null {
  const expiries = urls.map(urlExpiryMs).filter((e): e is number => e !== null);
  if (expiries.length === 0) return null;
  const left = Math.min(...expiries) - nowMs;
  const margin = Math.min(REFRESH_MARGIN_MS, Math.max(0, left) / 10);
  return Math.max(MIN_REFRESH_DELAY_MS, left - margin);
}

/**
 * Whether a fatal hls.js error is an expired (or revoked) URL: a 403 on a playlist or segment.
 * The player then asks for fresh URLs; if the viewer may still watch it gets them, otherwise
 * the refresh itself fails and the error is shown.
 */
export function isExpiredUrlError(data: { type?: string; response?: { code?: number } | null }): boolean {
  return data.type === 'networkError' && data.response?.code === 403;
}
