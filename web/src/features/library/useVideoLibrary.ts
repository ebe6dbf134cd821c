import { useCallback, useEffect, useRef, useState } from 'react';
import { listVideos, type ListVideosParams } from '@/api/listVideos';
import { errorMessage } from '@/api/errors';
import type { Video } from '@/api/types';

export const PAGE_SIZE = 24;
const LIVE_REFRESH_MS = 3000;

export function needsLiveRefresh(videos: Video[]): boolean {
  return videos.some((v) => v.status === 'PROCESSING' || v.status === 'UPLOADED');
}

type Filters = Omit<ListVideosParams, 'cursor' | 'offset' | 'limit'>;

/** The library list: first page on filter change, "load more" by cursor, live refresh. */
export function useVideoLibrary(filters: Filters) {
  const [videos, setVideos] = useState<Video[]>([]);
  const [total, setTotal] = useState(0);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const countRef = useRef(0);
  countRef.current = videos.length;

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading(true);
    listVideos({ ...filtersRef.current, limit: PAGE_SIZE }, ctrl.signal)
      .then((page) => {
        setVideos(page.videos);
        setTotal(page.total);
        setCursor(page.next_cursor);
        setError(null);
      })
      .catch((e) => {
        if (!ctrl.signal.aborted) setError(errorMessage(e));
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, tick]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await listVideos({ ...filtersRef.current, limit: PAGE_SIZE, cursor });
      setVideos((prev) => {
        const seen = new Set(prev.map((v) => v.video_id));
        return [...prev, ...page.videos.filter((v) => !seen.has(v.video_id))];
      });
      setTotal(page.total);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingMore(false);
    }
  }, [cursor]);

  // While anything is still being processed, refresh what is on screen (same length, no flicker).
  const live = !loading && needsLiveRefresh(videos);
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => {
      const limit = Math.min(100, Math.max(PAGE_SIZE, countRef.current));
      listVideos({ ...filtersRef.current, limit })
        .then((page) => {
          setVideos(page.videos);
          setTotal(page.total);
          setCursor(page.next_cursor);
        })
        .catch(() => {
          /* keep the last good list; the next tick retries */
        });
    }, LIVE_REFRESH_MS);
    return () => clearInterval(id);
  }, [live, key]);

  return {
    videos,
    total,
    hasMore: cursor != null,
    loading,
    loadingMore,
    error,
    live,
    loadMore,
    retry: () => setTick((t) => t + 1),
  };
}
