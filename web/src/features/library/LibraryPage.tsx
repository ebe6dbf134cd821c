import { useCallback, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { LayoutGrid, List, Loader2, LogIn, Search, UploadCloud } from 'lucide-react';
import { videoAccess } from '@/api/authTypes';
import { deleteVideo } from '@/api/deleteVideo';
import { errorMessage } from '@/api/errors';
import { videoDeleted } from '@/api/queries';
import type { SortBy, SortOrder, Video, VideoStatus } from '@/api/types';
import { VIDEO_STATUSES } from '@/api/types';
import { ConfirmDialog, EmptyState, ErrorState, PageHeader, Skeleton } from '@/components';
import { canEditVideo, signInPath } from '@/lib/access';
import { cn } from '@/lib/cn';
import { formatCount } from '@/lib/format';
import { useDebouncedCallback } from '@/lib/useDebouncedCallback';
import { useMe } from '@/lib/useMe';
import { FLAG_CODES, flagLabel, isFlagCode } from '@/lib/content/flags';
import { useVideoLibrary } from './useVideoLibrary';
import { VideoGrid } from './VideoGrid';
import { VideoTable } from './VideoTable';

const SORTS: Array<{ value: string; label: string }> = [
  { value: 'timestamp:desc', label: 'Newest first' },
  { value: 'timestamp:asc', label: 'Oldest first' },
  { value: 'views:desc', label: 'Most viewed' },
  { value: 'likes:desc', label: 'Most liked' },
  { value: 'engagement:desc', label: 'Highest engagement' },
  { value: 'duration:desc', label: 'Longest' },
  { value: 'duration:asc', label: 'Shortest' },
  { value: 'size:desc', label: 'Largest' },
  { value: 'size:asc', label: 'Smallest' },
];

const STATUS_LABELS: Record<VideoStatus, string> = {
  UPLOADED: 'Queued',
  PROCESSING: 'Processing',
  PROCESSED: 'Ready',
  FAILED: 'Failed',
};

function Toggle({
  label,
  pressed,
  onClick,
  children,
}: {
  label?: string;
  pressed: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      aria-label={label}
      className={cn('btn px-2.5 py-1.5', pressed ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white')}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

export function LibraryPage() {
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const { me, can } = useMe();
  // "My videos" is for signed-in callers (the server answers 401 to an anonymous `mine`).
  const mine = me !== null && params.get('mine') === '1';
  const [deleting, setDeleting] = useState<Video | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (video: Video) => deleteVideo(video.video_id),
    onMutate: () => setDeleteError(null),
    onSuccess: (_, video) => {
      setDeleting(null);
      videoDeleted(queryClient, video.video_id);
    },
    onError: (e) => {
      setDeleting(null);
      setDeleteError(errorMessage(e));
    },
  });
  const cancelDelete = useCallback(() => setDeleting(null), []);
  const canDelete = (video: Video) => canEditVideo(me, videoAccess(video));
  const view = params.get('view') === 'table' ? 'table' : 'grid';
  const sort = params.get('sort') ?? 'timestamp:desc';
  const status = (params.get('status') ?? '') as VideoStatus | '';
  // A content flag (docs/content-analysis.md): the listing's `flag=` filter.
  const flagParam = params.get('flag') ?? '';
  const flag = isFlagCode(flagParam) ? flagParam : '';
  // The address holds the search; the box writes it there once typing pauses.
  const q = params.get('q') ?? '';
  const [query, setQuery] = useState(q);

  const setParam = (name: string, value: string | null) => {
    if ((params.get(name) ?? '') === (value ?? '')) return;
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const commitQuery = useDebouncedCallback((text: string) => setParam('q', text.trim() || null), 300);

  const [sortBy, order] = sort.split(':') as [SortBy, SortOrder];
  const lib = useVideoLibrary({
    sort_by: sortBy,
    order,
    status: status || undefined,
    q: q || undefined,
    ...(flag ? { flag } : {}),
    ...(mine ? { mine: true } : {}),
  });
  const filtered = Boolean(q || status || flag);

  return (
    <div>
      <PageHeader
        title="Library"
        subtitle={
          lib.loading ? (
            'Loading your videos…'
          ) : (
            <span className="inline-flex items-center gap-2">
              {formatCount(lib.total)} {lib.total === 1 ? 'video' : 'videos'}
              {lib.live && (
                <span className="inline-flex items-center gap-1 text-amber-300" role="status">
                  <Loader2 aria-hidden className="h-3.5 w-3.5 animate-spin" /> updating live
                </span>
              )}
            </span>
          )
        }
        actions={
          (!me || can('upload')) && (
            <Link to="/upload" className="btn-primary">
              <UploadCloud aria-hidden className="h-4 w-4" /> Upload
            </Link>
          )
        }
      />

      <div className="mb-6 flex flex-col gap-3 md:flex-row md:items-end">
        <div className="flex-1">
          <label htmlFor="lib-search" className="label">
            Search
          </label>
          <div className="relative">
            <Search
              aria-hidden
              className="pointer-events-none absolute left-3 top-1/2 h-4 w-4 -translate-y-1/2 text-slate-500"
            />
            <input
              id="lib-search"
              type="search"
              className="input pl-9"
              placeholder="Search by title"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                commitQuery.schedule(e.target.value);
              }}
            />
          </div>
        </div>
        <div className="grid grid-cols-2 gap-3 md:flex">
          <div>
            <label htmlFor="lib-status" className="label">
              Status
            </label>
            <select
              id="lib-status"
              className="input"
              value={status}
              onChange={(e) => setParam('status', e.target.value || null)}
            >
              <option value="">All statuses</option>
              {VIDEO_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="lib-flag" className="label">
              Content
            </label>
            <select
              id="lib-flag"
              className="input"
              value={flag}
              onChange={(e) => setParam('flag', e.target.value || null)}
            >
              <option value="">Any content</option>
              {FLAG_CODES.map((code) => (
                <option key={code} value={code}>
                  Flagged: {flagLabel(code).toLowerCase()}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="lib-sort" className="label">
              Sort by
            </label>
            <select
              id="lib-sort"
              className="input"
              value={sort}
              onChange={(e) => setParam('sort', e.target.value === 'timestamp:desc' ? null : e.target.value)}
            >
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="flex flex-wrap gap-3">
          {me && (
            <div role="group" aria-label="Whose videos" className="flex rounded-lg border border-slate-700 p-0.5">
              <Toggle pressed={mine} onClick={() => setParam('mine', '1')}>
                My videos
              </Toggle>
              <Toggle pressed={!mine} onClick={() => setParam('mine', null)}>
                All
              </Toggle>
            </div>
          )}
          <div role="group" aria-label="View" className="flex rounded-lg border border-slate-700 p-0.5">
            <Toggle label="Grid view" pressed={view === 'grid'} onClick={() => setParam('view', null)}>
              <LayoutGrid aria-hidden className="h-4 w-4" />
            </Toggle>
            <Toggle label="Table view" pressed={view === 'table'} onClick={() => setParam('view', 'table')}>
              <List aria-hidden className="h-4 w-4" />
            </Toggle>
          </div>
        </div>
      </div>

      {lib.error && !lib.videos.length ? (
        <ErrorState title="Could not load the library" message={lib.error} onRetry={lib.retry} />
      ) : lib.loading && !lib.videos.length ? (
        <div
          className="grid grid-cols-1 gap-5 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4"
          aria-busy="true"
          aria-label="Loading videos"
        >
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i}>
              <Skeleton className="aspect-video w-full" />
              <Skeleton className="mt-3 h-4 w-3/4" />
              <Skeleton className="mt-2 h-3 w-1/2" />
            </div>
          ))}
        </div>
      ) : !lib.videos.length ? (
        filtered ? (
          <EmptyState
            icon={<Search className="h-7 w-7" />}
            title="No videos match"
            message="Try another search or clear the filters."
            action={
              <button
                type="button"
                className="btn-secondary"
                onClick={() => {
                  commitQuery.cancel();
                  setQuery('');
                  const keep = new URLSearchParams();
                  if (view === 'table') keep.set('view', view);
                  if (mine) keep.set('mine', '1');
                  setParams(keep, { replace: true });
                }}
              >
                Clear filters
              </button>
            }
          />
        ) : !me ? (
          <EmptyState
            icon={<LogIn className="h-7 w-7" />}
            title="No public videos yet"
            message="Nothing has been shared publicly. Sign in to see the videos shared with you, or to upload your own."
            action={
              <Link to={signInPath('/')} className="btn-primary">
                Sign in
              </Link>
            }
          />
        ) : (
          <EmptyState
            icon={<UploadCloud className="h-7 w-7" />}
            title={mine ? 'You have not uploaded any videos yet' : 'Your library is empty'}
            message="Upload a video (mp4, mov, avi, webm, mkv, flv, wmv or m4v, up to 500 MB). Kinora transcodes it for streaming and makes thumbnails automatically."
            action={
              can('upload') && (
                <Link to="/upload" className="btn-primary">
                  Upload your first video
                </Link>
              )
            }
          />
        )
      ) : (
        <>
          {lib.error && (
            <p role="alert" className="mb-4 text-sm text-rose-300">
              {lib.error}
            </p>
          )}
          {deleteError && (
            <p role="alert" className="mb-4 text-sm text-rose-300">
              {deleteError}
            </p>
          )}
          {view === 'grid' ? (
            <VideoGrid videos={lib.videos} canDelete={canDelete} onDelete={setDeleting} />
          ) : (
            <VideoTable videos={lib.videos} canDelete={canDelete} onDelete={setDeleting} />
          )}
          <div className="mt-8 flex flex-col items-center gap-2">
            <p className="text-xs text-slate-500">
              Showing {formatCount(lib.videos.length)} of {formatCount(lib.total)}
            </p>
            {lib.hasMore && (
              <button
                type="button"
                className="btn-secondary"
                onClick={() => void lib.loadMore()}
                disabled={lib.loadingMore}
              >
                {lib.loadingMore && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
                Load more
              </button>
            )}
          </div>
        </>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this video?"
        message={`"${deleting?.title ?? ''}" and all its renditions, thumbnails and counters will be removed. This cannot be undone.`}
        confirmLabel="Delete video"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onCancel={cancelDelete}
      />
    </div>
  );
}
