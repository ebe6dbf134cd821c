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
