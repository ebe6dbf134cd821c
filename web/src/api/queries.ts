// Query keys and query options for TanStack Query, shared by every feature that reads or changes
// the same server state: who is signed in, the library lists, one video, the stats, the user's
// tokens and (for admins) the users.

import { infiniteQueryOptions, queryOptions, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import type { ListVideosAccessParams, Me, StatsScope } from './authTypes';
import { adminListUsers } from './adminListUsers';
import { getMe } from './getMe';
import { getStats } from './getStats';
import { getVideo } from './getVideo';
import { listTokens } from './listTokens';
import { listVideos } from './listVideos';
import type { ListVideosParams, Video, VideoList } from './types';

/** What the library filters on; paging (`cursor`, `offset`, `limit`) is the query's business. */
export type VideoListFilters = Omit<ListVideosParams, 'cursor' | 'offset' | 'limit'> & ListVideosAccessParams;

export const queryKeys = {
  me: ['me'] as const,
  /** Every library list, whatever its filters. */
  videoLists: ['videos'] as const,
  videoList: (filters: VideoListFilters, pageSize: number) => ['videos', filters, pageSize] as const,
  video: (videoId: string) => ['video', videoId] as const,
  /** Every stats scope. */
  stats: ['stats'] as const,
  statsFor: (scope: StatsScope | undefined) => ['stats', scope ?? 'default'] as const,
  tokens: ['tokens'] as const,
  users: ['admin', 'users'] as const,
};

/** How long who-is-signed-in is trusted before it is asked again (a 401 anywhere asks at once). */
const ME_STALE_MS = 60_000;

/** GET /api/auth/me: the signed-in user, or null for an anonymous caller (never an error for 401). */
export function meQuery() {
  return queryOptions({
    queryKey: queryKeys.me,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: ME_STALE_MS,
  });
}

/** GET /api/auth/tokens. */
export function tokensQuery() {
  return queryOptions({ queryKey: queryKeys.tokens, queryFn: ({ signal }) => listTokens(signal) });
}

/** GET /api/admin/users. */
export function usersQuery() {
  return queryOptions({ queryKey: queryKeys.users, queryFn: ({ signal }) => adminListUsers(signal) });
}

/**
 * After signing in or out: the caller changed, so every cached answer (what is listed, what may be
 * edited, who liked what, the tokens) may be wrong. They are dropped, not refetched here: a page
 * still on screen re-renders with the new `me` and fetches what it needs as the new caller, while
 * a page that needs a session (tokens, admin) shows its sign-in prompt instead of asking the
 * server for what would now be refused. `me` is set at once; what the login answer lacks (via,
 * scopes) comes with the next /me.
 */
export function sessionChanged(client: QueryClient, me: Me | null): void {
  void client.cancelQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.me[0] });
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.me[0] });
  client.setQueryData(queryKeys.me, me);
  if (me) void client.invalidateQueries({ queryKey: queryKeys.me });
}

/** GET /api/analytics/videos, page after page by `next_cursor`. */
export function videoListQuery(filters: VideoListFilters, pageSize: number) {
  return infiniteQueryOptions({
    queryKey: queryKeys.videoList(filters, pageSize),
    queryFn: ({ pageParam, signal }) => listVideos({ ...filters, limit: pageSize, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last: VideoList) => last.next_cursor ?? undefined,
  });
}

/** GET /api/analytics/video/{video_id}. */
export function videoQuery(videoId: string) {
  return queryOptions({
    queryKey: queryKeys.video(videoId),
    queryFn: ({ signal }) => getVideo(videoId, signal),
  });
}

/** GET /api/analytics/stats, for one scope (undefined: the server's default for the caller). */
export function statsQuery(scope?: StatsScope) {
  return queryOptions({
    queryKey: queryKeys.statsFor(scope),
    queryFn: ({ signal }) => getStats(scope, signal),
  });
}

/** The lists and totals that count a video: refetched when one is added, changes state or goes. */
export function invalidateSummaries(client: QueryClient): void {
  void client.invalidateQueries({ queryKey: queryKeys.videoLists });
  void client.invalidateQueries({ queryKey: queryKeys.stats });
}

/** After a video changed on the server: keep what is known of it and refresh the summaries. */
export function videoChanged(client: QueryClient, video: Video): void {
  client.setQueryData(queryKeys.video(video.video_id), video);
  invalidateSummaries(client);
}

/**
 * After an edit (PATCH): what the server answered goes over the cached video (keeping what the
 * answer may lack, such as `can_edit`), then the video is fetched again, because a visibility
 * change invalidates its media URLs, and the summaries are refreshed.
 */
export function videoEdited(client: QueryClient, video: Video): void {
  client.setQueryData<Video>(queryKeys.video(video.video_id), (old) => (old ? { ...old, ...video } : video));
  void client.invalidateQueries({ queryKey: queryKeys.video(video.video_id) });
  invalidateSummaries(client);
}

/** After a like or un-like: the count and whether the caller likes it, as the server answered. */
export function videoLiked(client: QueryClient, videoId: string, likes: number, liked: boolean): void {
  client.setQueryData<Video>(queryKeys.video(videoId), (video) => (video ? { ...video, likes, liked } : video));
  invalidateSummaries(client);
}

/** Sets one counter of a cached video to the value the server answered. */
export function setVideoCounter(client: QueryClient, videoId: string, counter: 'views' | 'likes', value: number): void {
  client.setQueryData(queryKeys.video(videoId), (video) => (video ? { ...video, [counter]: value } : video));
  invalidateSummaries(client);
}

/** After a delete: drops the video from every cached list at once, then refreshes them. */
export function videoDeleted(client: QueryClient, videoId: string): void {
  client.setQueriesData<InfiniteData<VideoList>>({ queryKey: queryKeys.videoLists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({ ...page, videos: page.videos.filter((v) => v.video_id !== videoId) })),
        }
      : data,
  );
  invalidateSummaries(client);
}
