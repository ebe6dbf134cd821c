// Types mirroring components/schemas in api/openapi.json. Keep names and nullability in step
// with that document: it is the contract, kept true by the server's own tests.

export type VideoStatus = 'UPLOADED' | 'PROCESSING' | 'PROCESSED' | 'FAILED';
export const VIDEO_STATUSES: VideoStatus[] = ['UPLOADED', 'PROCESSING', 'PROCESSED', 'FAILED'];

export type VideoExtension = 'mp4' | 'mov' | 'avi' | 'webm' | 'mkv' | 'flv' | 'wmv' | 'm4v';

export interface Rendition {
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  codecs: string;
  copy: boolean;
  segments: number;
  duration_seconds: number;
}

export interface Probe {
  container: string;
  duration_seconds: number;
  bitrate: number;
  video_codec: string;
  width: number;
  height: number;
  rotation: 0 | 90 | 180 | 270;
  sample_aspect_ratio: string;
  fps: number;
  variable_frame_rate: boolean;
  pixel_format: string;
  bit_depth: number;
  video_bitrate: number;
  audio_codec: string;
  sample_rate: number;
  channels: number;
  audio_bitrate: number;
}

export interface Video {
  video_id: string;
  title: string;
  description: string | null;
  filename: string;
  original_filename: string;
  file_extension: VideoExtension;
  content_type: string;
  size: number;
  file_size: number;
  s3_bucket: string;
  s3_key: string;
  s3_video_key: string;
  timestamp: string;
  upload_timestamp: string;
  status: VideoStatus;
  error: string | null;
  progress: number;
  views: number;
  likes: number;
  engagement: number;
  runtime: string | null;
  duration_seconds: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  video_codec: string | null;
  audio_codec: string | null;
  bitrate: number | null;
  renditions: Rendition[];
  /** Empty object until processed. */
  probe: Partial<Probe> | null;
  thumbnail_url: string | null;
  poster_url: string | null;
  video_url: string | null;
  original_url: string;
  hls_url: string | null;
  processed_timestamp: string | null;
  processing_seconds: number | null;
  correlation_id: string;
  container?: string | null;
  thumbnail_key?: string | null;
  mp4_key?: string | null;
  hls_key?: string | null;
  poster_key?: string | null;
  processed_bytes?: number;
}

export interface VideoList {
  videos: Video[];
  count: number;
  total: number;
  next_cursor: string | null;
}

export interface UploadResponse {
  status: 'success';
  video_id: string;
  message: string;
  video: Video;
}

export interface DeleteResponse {
  status: 'success';
  video_id: string;
  message: string;
}

export interface CounterResponse {
  video_id: string;
  views?: number;
  likes?: number;
}

export interface DayCount {
  day: string;
  count: number;
}

/** Videos whose duration is in [min_seconds, max_seconds); max_seconds is null for the last bucket. */
export interface DurationBucket {
  min_seconds: number;
  max_seconds: number | null;
  count: number;
}

export interface Stats {
  total_videos: number;
  videos_by_status: Record<VideoStatus, number>;
  videos_by_format: Record<string, number>;
  total_views: number;
  total_likes: number;
  engagement: number;
  storage_bytes: number;
  total_duration_seconds: number;
  processing_seconds: { p50: number | null; p90: number | null; p99: number | null };
  uploads_per_day: DayCount[];
  views_per_day: DayCount[];
  likes_per_day: DayCount[];
  top_videos: Video[];
  /** Six fixed buckets; absent from servers older than the dashboard's histogram. */
  duration_histogram?: DurationBucket[];
  generated_at: string;
}

/** RFC 9457 problem document, plus the request's correlation id. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlation_id?: string;
}

export type SortBy = 'timestamp' | 'views' | 'likes' | 'engagement' | 'duration' | 'size';
export type SortOrder = 'asc' | 'desc';
