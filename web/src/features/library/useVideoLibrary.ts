import { useMemo } from 'react';
import { keepPreviousData, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { errorMessage } from '@/api/errors';
import { videoListQuery, type VideoListFilters } from '@/api/queries';
import { isSettled, type Video, type VideoList } from '@/api/types';

export const PAGE_SIZE = 24;
const LIVE_REFRESH_MS = 3000;

export function needsLiveRefresh(videos: Video[]): boolean {
  return videos.some((v) => !isSettled(v.status));
}

/** The pages' videos in order, each once (a video can move between pages as the list changes). */
function allVideos(data: InfiniteData<VideoList> | undefined): Video[] {
  const seen = new Set<string>();
  const out: Video[] = [];
  for (const page of data?.pages ?? []) {
    for (const v of page.videos) {
      if (seen.has(v.video_id)) continue;
      seen.add(v.video_id);
      out.push(v);
    }
  }
  return out;
}

/**
 * The library list: the first page for the filters, "load more" by cursor, and while anything on
 * screen is still uploaded or processing, every page shown is fetched again every few seconds.
 */
export function useVideoLibrary(filters: VideoListFilters) {
  const query = useInfiniteQuery({
    ...videoListQuery(filters, PAGE_SIZE),
    // On a new search or sort, the old list stays on screen until the new one arrives.
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (needsLiveRefresh(allVideos(q.state.data)) ? LIVE_REFRESH_MS : false),
  });
  const videos = useMemo(() => allVideos(query.data), [query.data]);
  const pages = query.data?.pages ?? [];
  const loading = query.isPending || query.isPlaceholderData;
  // A failed live refresh keeps the last good list without a word (the next one retries); a
  // failed first load or "load more" is shown.
  const failed = query.isError && (!query.data || query.isFetchNextPageError);

  return {
    videos,
    total: pages.length ? pages[pages.length - 1].total : 0,
    hasMore: query.hasNextPage,
    loading,
    loadingMore: query.isFetchingNextPage,
    error: failed ? errorMessage(query.error) : null,
    live: !loading && needsLiveRefresh(videos),
    loadMore: () => query.fetchNextPage(),
    retry: () => void query.refetch(),
  };
}
