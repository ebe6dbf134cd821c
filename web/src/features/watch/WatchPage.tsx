import { useCallback, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, BarChart3, Download, Eye, Heart, Loader2, Pencil, Share2, Trash2 } from 'lucide-react';
import { videoAccess } from '@/api/authTypes';
import { deleteVideo } from '@/api/deleteVideo';
import { ApiError, errorMessage } from '@/api/errors';
import { likeVideo } from '@/api/likeVideo';
import { videoDeleted, videoLiked, videoQuery } from '@/api/queries';
import { isSettled } from '@/api/types';
import { unlikeVideo } from '@/api/unlikeVideo';
import { ConfirmDialog, ErrorState, LoadingState, ProgressBar, StatusBadge, VisibilityBadge } from '@/components';
import { canEditVideo, hasRight, signInPath } from '@/lib/access';
import { analysisSummaryOf, contentQuery, hasAnalysis, storyboardUrlOf } from '@/lib/content/api';
import { formatCount, formatDateTime, formatPercent } from '@/lib/format';
import { useMe } from '@/lib/useMe';
import { EditVideoPanel } from './EditVideoPanel';
import { SharePanel } from './SharePanel';
import { ContentPanel } from './ContentPanel';
import { VideoDetails } from './VideoDetails';
import { VideoPlayer } from '@/components/player/VideoPlayer';

const PROCESSING_REFRESH_MS = 2000;

export function WatchPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const {
    data: video,
    error,
    isPending: loading,
    refetch,
  } = useQuery({
    ...videoQuery(id),
    // Follow an upload through processing; a settled video does not change by itself.
    refetchInterval: (q) => (q.state.data && !isSettled(q.state.data.status) ? PROCESSING_REFRESH_MS : false),
  });
  const { me, can } = useMe();
  // The content analysis (and with it the storyboard's URL) is for the owner, moderators and
  // admins, like the audience analytics (docs/content-analysis.md, "API"); a server without it
  // gives no `analysis` summary, and then there is no panel.
  const contentAllowed = Boolean(
    video &&
    me &&
    video.status === 'PROCESSED' &&
    analysisSummaryOf(video) &&
    (videoAccess(video).owner_id === me.user.user_id || hasRight(me, 'see_any_video')),
  );
  const analysed = contentAllowed && hasAnalysis(video);
  // The content panel moves the player to a scene or a moment of its timeline.
  const media = useRef<HTMLVideoElement | null>(null);
  const seekTo = useCallback((time: number) => {
    const el = media.current;
    if (!el) return;
    el.currentTime = time;
    el.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, []);
  const content = useQuery({ ...contentQuery(id), enabled: analysed });
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [sharing, setSharing] = useState(false);

  // One like per user: the button toggles between liking and taking the like back.
  const like = useMutation({
    mutationFn: (want: boolean) => (want ? likeVideo(id) : unlikeVideo(id)),
    onMutate: () => setActionError(null),
    onSuccess: (res, want) => videoLiked(queryClient, id, res.likes, res.liked ?? want),
    onError: (e) => setActionError(errorMessage(e)),
  });
  const remove = useMutation({
    mutationFn: () => deleteVideo(id),
    onSuccess: () => {
      videoDeleted(queryClient, id);
      navigate('/', { replace: true });
    },
    onError: (e) => {
      setActionError(errorMessage(e));
      setConfirming(false);
    },
  });
  const closeConfirm = useCallback(() => setConfirming(false), []);
  // Fresh signed URLs for the player; none when the viewer may no longer watch (404, 403).
  const refreshVideo = useCallback(async () => {
    const result = await refetch();
    return result.isError ? null : result.data;
  }, [refetch]);

  // A video deleted while it was on screen (or since it was cached) is gone, whatever was shown.
  const gone = error instanceof ApiError && error.status === 404;
  if (loading) return <LoadingState label="Loading video…" />;
  if (error && (!video || gone)) {
    return (
      <ErrorState title="Could not load this video" message={errorMessage(error)} onRetry={() => void refetch()} />
    );
  }
  if (!video) return null;
  const access = videoAccess(video);
  const liked = access.liked ?? false;
  const editable = canEditVideo(me, access);
  // Audience analytics belong to the owner, moderators and admins (docs/analytics.md, "API").
  const analytics = Boolean(me) && (access.owner_id === me?.user.user_id || hasRight(me, 'see_any_video'));

  return (
    <div>
      <Link to="/" className="btn-ghost -ml-3 mb-4 px-3 py-1.5 text-sm">
        <ArrowLeft aria-hidden className="h-4 w-4" /> Library
      </Link>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {video.status === 'PROCESSED' ? (
            <VideoPlayer
              video={video}
              surface="watch"
              refresh={refreshVideo}
              storyboardUrl={storyboardUrlOf(video, analysed ? content.data : null)}
              marks={analysed ? content.data?.scenes.map((s) => s.time) : undefined}
              mediaRef={media}
            />
          ) : (
            <div className="card flex aspect-video flex-col items-center justify-center gap-4 p-8 text-center">
              <StatusBadge status={video.status} progress={video.progress} />
              {video.status === 'FAILED' ? (
                <div role="alert">
                  <p className="text-lg font-medium text-white">Processing failed</p>
                  <p className="mt-1 max-w-md text-sm text-rose-300">{video.error || 'No reason was given.'}</p>
                </div>
              ) : (
                <div className="w-full max-w-sm" aria-live="polite">
                  <p className="mb-3 flex items-center justify-center gap-2 text-sm text-slate-300">
                    <Loader2 aria-hidden className="h-4 w-4 animate-spin" />
                    {video.status === 'PROCESSING'
                      ? `Processing… ${Math.round(video.progress * 100)}%`
                      : 'Waiting for a processor…'}
                  </p>
                  <ProgressBar value={video.progress} tone="amber" label="Processing progress" />
                </div>
              )}
            </div>
          )}

          <div className="mt-4 flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-[16rem] flex-1">
              <h1 className="break-words text-xl font-semibold text-white">{video.title}</h1>
              <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-400">
                {access.visibility && <VisibilityBadge visibility={access.visibility} />}
                <span className="inline-flex items-center gap-1">
                  <Eye aria-hidden className="h-4 w-4" /> {formatCount(video.views)}
                  {video.views === 1 ? ' view' : ' views'}
                </span>
                <span>{formatPercent(video.engagement)} engagement</span>
                <span>Uploaded {formatDateTime(video.uploaded_at)}</span>
              </p>
            </div>
            <div className="flex shrink-0 flex-wrap gap-2">
              {me && can('like') ? (
                <button
                  type="button"
                  className={liked ? 'btn-primary' : 'btn-secondary'}
                  onClick={() => like.mutate(!liked)}
                  disabled={like.isPending}
                  aria-pressed={liked}
                  aria-label={`Like (${video.likes} likes)`}
                  title={liked ? 'You like this. Click to take your like back.' : 'Like'}
                >
                  <Heart aria-hidden className={`h-4 w-4 ${liked ? 'fill-current' : ''}`} />
                  <span className="tabular-nums">{formatCount(video.likes)}</span>
                </button>
              ) : (
                !me && (
                  <Link
                    to={signInPath(`/watch/${id}`)}
                    className="btn-secondary"
                    aria-label={`Sign in to like (${video.likes} likes)`}
                    title="Sign in to like"
                  >
                    <Heart aria-hidden className="h-4 w-4" />
                    <span className="tabular-nums">{formatCount(video.likes)}</span>
                  </Link>
                )
              )}
              <button
                type="button"
                className="btn-secondary"
                aria-expanded={sharing}
                aria-controls="share-video"
                onClick={() => setSharing(!sharing)}
              >
                <Share2 aria-hidden className="h-4 w-4" /> Share
              </button>
              {analytics && (
                <Link to={`/videos/${id}/analytics`} className="btn-secondary">
                  <BarChart3 aria-hidden className="h-4 w-4" /> Analytics
                </Link>
              )}
              {video.status === 'PROCESSED' && video.video_url && (
                <a href={video.video_url} download className="btn-secondary" aria-label="Download the MP4">
                  <Download aria-hidden className="h-4 w-4" /> <span className="hidden sm:inline">Download</span>
                </a>
              )}
              {editable && (
                <button
                  type="button"
                  className="btn-secondary"
                  aria-expanded={editing}
                  aria-controls="edit-video"
                  onClick={() => setEditing(!editing)}
                >
                  <Pencil aria-hidden className="h-4 w-4" /> Edit
                </button>
              )}
              {editable && (
                <button
                  type="button"
                  className="btn-secondary text-rose-300 hover:text-rose-200"
                  onClick={() => setConfirming(true)}
                >
                  <Trash2 aria-hidden className="h-4 w-4" /> Delete
                </button>
              )}
            </div>
          </div>
          {sharing && (
            <div id="share-video">
              <SharePanel videoId={id} title={video.title} visibility={access.visibility} />
            </div>
          )}
          {editable && editing && (
            <div id="edit-video">
              <EditVideoPanel
                video={video}
                visibility={access.visibility ?? 'public'}
                onDone={() => setEditing(false)}
              />
            </div>
          )}
          {actionError && (
            <p role="alert" className="mt-3 text-sm text-rose-300">
              {actionError}
            </p>
          )}
          {video.description && <p className="mt-4 whitespace-pre-line text-sm text-slate-300">{video.description}</p>}
          {contentAllowed && (
            <ContentPanel videoId={id} analysed={analysed} admin={hasRight(me, 'manage_settings')} onSeek={seekTo} />
          )}
        </div>
        <VideoDetails video={video} />
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this video?"
        message={`"${video.title}" and all its renditions, thumbnails and counters will be removed. This cannot be undone.`}
        confirmLabel="Delete video"
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
        onCancel={closeConfirm}
      />
    </div>
  );
}
