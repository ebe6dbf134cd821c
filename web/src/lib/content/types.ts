// The content analysis as the web app reads it (docs/content-analysis.md): the document of
// GET /api/analytics/videos/{id}/content and the catalog summary in each video document. All
// taken from the generated types (src/api/schema.gen.ts, from api/openapi.json), so the app and
// the contract cannot drift apart; only FlagDetail is looser (a bare message has no code).

import type { components } from '@/api/schema.gen';

type Schemas = components['schemas'];

/** GET /api/analytics/videos/{id}/content: analysis.json, with the API's additions. */
export type ContentAnalysis = Schemas['ContentAnalysis'];

/** A stretch of the video, in seconds (black, frozen or silent). */
export type Segment = ContentAnalysis['black'][number];
/** The first frame of a new scene, and how different it is from the one before (0–100). */
export type SceneCut = ContentAnalysis['scenes'][number];
export type Loudness = NonNullable<ContentAnalysis['loudness']>;
/** Peak and RMS of all channels per `interval_seconds`, linear 0–1. */
export type Waveform = NonNullable<ContentAnalysis['waveform']>;
export type Storyboard = NonNullable<ContentAnalysis['storyboard']>;

/** A flag as the API details it (`flag_details`). */
export type ContentFlag = Schemas['ContentFlag'];
/** A flag as the panel shows it: a detailed flag, or a bare message with an empty code. */
export interface FlagDetail {
  code: string;
  severity: ContentFlag['severity'] | string;
  start?: number | null;
  end?: number | null;
  message: string;
}

/** The catalog summary: the video document's `analysis` field. */
export type AnalysisSummary = Schemas['ContentSummary'];
export type AnalysisStatus = AnalysisSummary['status'];
/** A flag code. */
export type FlagCode = Schemas['ContentFlagCode'];
