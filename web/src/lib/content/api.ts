// The content analysis endpoints (docs/content-analysis.md, "API") and the storyboard track,
// with their TanStack Query options. (Kept here, not in src/api, which another hand
// regenerates; the reprocess path is spelled out until openapi.json lists it.)
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, apiPath } from '@/api/client';
import { ApiError } from '@/api/errors';
import type { AnalysisSummary, ContentAnalysis } from './types';
import { parseStoryboardVtt, type StoryboardTile } from './vtt';

export const contentKeys = {
  all: ['content'] as const,
  content: (videoId: string) => ['content', videoId] as const,
  storyboard: (url: string) => ['content', 'storyboard', url] as const,
};

/** GET /api/analytics/videos/{id}/content — the analysis document (owner, moderators, admins). */
export async function getContentAnalysis(videoId: string, signal?: AbortSignal): Promise<ContentAnalysis> {
  const res = await api.get<ContentAnalysis>(
    apiPath('/api/analytics/videos/{video_id}/content', { video_id: videoId }),
    {
      signal,
    },
  );
  return res.data;
}

/** POST /api/admin/videos/{id}/reprocess — queue the video again to fill its analysis (admins). */
export async function reprocessVideo(videoId: string): Promise<void> {
  await api.post(`/api/admin/videos/${encodeURIComponent(videoId)}/reprocess`, null);
}

/** Whether an error of the content endpoint means "no analysis (or not yours)": a 404. */
export function isNoAnalysis(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The analysis changes only when the video is processed again; its signed URLs last longer. */
const CONTENT_STALE_MS = 5 * 60_000;

export function contentQuery(videoId: string) {
  return queryOptions({
    queryKey: contentKeys.content(videoId),
    queryFn: ({ signal }) => getContentAnalysis(videoId, signal),
    // A 404 (no analysis yet) is final under the client's retry rule: it is an answer.
    staleTime: CONTENT_STALE_MS,
  });
}

/** Fetches and parses a storyboard VTT (signed URL; no cookie needed). */
export async function fetchStoryboard(url: string, signal?: AbortSignal): Promise<StoryboardTile[]> {
  const res = await fetch(url, { signal, credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(`The storyboard could not be loaded (HTTP ${res.status}).`, { status: res.status });
  return parseStoryboardVtt(await res.text(), url);
}

export function storyboardQuery(url: string) {
  return queryOptions({
    queryKey: contentKeys.storyboard(url),
    queryFn: ({ signal }) => fetchStoryboard(url, signal),
    staleTime: Infinity,
    retry: false,
  });
}

/** The storyboard tiles of `url`, or [] while loading, on failure or without a URL. */
export function useStoryboard(url: string | null | undefined): StoryboardTile[] {
  const { data } = useQuery({ ...storyboardQuery(url ?? ''), enabled: Boolean(url) });
  return url && data ? data : EMPTY;
}

const EMPTY: StoryboardTile[] = [];

/**
 * Where a video's storyboard VTT is: the content document's signed `vtt_url` (owner, moderators,
 * admins), else the video document's `storyboard_url` if the server gives one; null otherwise.
 */
export function storyboardUrlOf(
  video: object | null | undefined,
  content: Pick<ContentAnalysis, 'storyboard'> | null | undefined,
): string | null {
  const fromContent = content?.storyboard?.vtt_url;
  if (fromContent) return fromContent;
  const fromVideo = (video as { storyboard_url?: unknown } | null | undefined)?.storyboard_url;
  return typeof fromVideo === 'string' && fromVideo ? fromVideo : null;
}

/**
 * Whether the video has an analysis to fetch: its summary says complete or incomplete. Asking
 * only then keeps the 404 of a video without one (and of a server without the feature, whose
 * documents have no summary) off the network and out of the console.
 */
export function hasAnalysis(video: object | null | undefined): boolean {
  const status = analysisSummaryOf(video)?.status;
  return status === 'complete' || status === 'incomplete';
}

/** The video document's `analysis` summary, if the server gives one. */
export function analysisSummaryOf(video: object | null | undefined): AnalysisSummary | null {
  const summary = (video as { analysis?: unknown } | null | undefined)?.analysis;
  return summary && typeof summary === 'object' ? (summary as AnalysisSummary) : null;
}
