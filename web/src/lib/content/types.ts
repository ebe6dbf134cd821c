// The content analysis as the web app reads it (docs/content-analysis.md): the document of
// GET /api/analytics/videos/{id}/content and the catalog summary in each video document.
// The summary and the flag codes come from the generated types (src/api/schema.gen.ts); the
// document is written by hand from the doc until api/openapi.json describes `ContentAnalysis`.
// Every field the doc calls nullable is nullable here, and optional where an older server may
// leave it out.

import type { components } from '@/api/schema.gen';

/** A stretch of the video, in seconds (black, frozen or silent). */
export interface Segment {
  start: number;
  end: number;
}

/** The first frame of a new scene, and how different it is from the one before (0–100). */
export interface SceneCut {
  time: number;
  score: number;
}

export interface Loudness {
  integrated_lufs: number | null;
  range_lu: number | null;
  true_peak_dbtp: number | null;
}

/** Peak and RMS of all channels per `interval_seconds`, linear 0–1. */
export interface Waveform {
  interval_seconds: number;
  peak: number[];
  rms: number[];
}

export interface Complexity {
  si_mean: number | null;
  si_max: number | null;
  ti_mean: number | null;
  ti_max: number | null;
}

export interface Storyboard {
  /** The VTT's key relative to the video's processed folder. */
  vtt: string;
  /** A signed URL of the VTT (added by the API for owner, moderators and admins). */
  vtt_url?: string | null;
  interval_seconds: number;
  tile_width: number;
  tile_height: number;
  columns: number;
  rows: number;
  tiles: number;
  sprites: string[];
}

export interface RungQuality {
  rung: string;
  copied: boolean;
  ssim: number | null;
  psnr_db: number | null;
  frames: number;
}

export type FlagSeverity = 'warning' | 'info';

export interface FlagDetail {
  code: string;
  severity: FlagSeverity | string;
  start?: number | null;
  end?: number | null;
  message: string;
}

/** GET /api/analytics/videos/{id}/content: analysis.json, with the API's additions. */
export interface ContentAnalysis {
  version: number;
  complete: boolean;
  incomplete: string[];
  duration_seconds: number;
  scenes: SceneCut[];
  black: Segment[];
  freeze: Segment[];
  silence: Segment[];
  loudness: Loudness | null;
  waveform: Waveform | null;
  complexity?: Complexity | null;
  storyboard: Storyboard | null;
  quality?: RungQuality[];
  /** The API gives the flags' messages here; analysis.json itself gives the detailed flags. */
  flags: Array<string | FlagDetail>;
  /** The detailed flags (API only). */
  flag_details?: FlagDetail[];
}

/** The catalog summary: the video document's `analysis` field (generated from openapi.json). */
export type AnalysisSummary = components['schemas']['ContentSummary'];
export type AnalysisStatus = AnalysisSummary['status'];
/** A flag code (generated from openapi.json). */
export type FlagCode = components['schemas']['ContentFlagCode'];
