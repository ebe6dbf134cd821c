// Query keys and query options for TanStack Query, shared by every feature that reads or changes
// the same server state: the library lists, one video, the stats.

import { infiniteQueryOptions, queryOptions, type InfiniteData, type QueryClient } from '@tanstack/react-query';
import { getStats } from './getStats';
import { getVideo } from './getVideo';
import { listVideos } from './listVideos';
import type { ListVideosParams, Video, VideoList } from './types';

/** What the library filters on; paging (`cursor`, `offset`, `limit`) is the query's business. */
export type VideoListFilters = Omit<ListVideosParams, 'cursor' | 'offset' | 'limit'>;

export const queryKeys = {
  /** Every library list, whatever its filters. */
  videoLists: ['videos'] as const,
  videoList: (filters: VideoListFilters, pageSize: number) => ['videos', filters, pageSize] as const,
  video: (videoId: string) => ['video', videoId] as const,
  stats: ['stats'] as const,
};

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

/** GET /api/analytics/stats. */
export function statsQuery() {
  return queryOptions({
    queryKey: queryKeys.stats,
    queryFn: ({ signal }) => getStats(signal),
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
