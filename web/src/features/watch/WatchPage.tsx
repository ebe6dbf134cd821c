import { useCallback, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ArrowLeft, Download, Eye, Heart, Loader2, Trash2 } from 'lucide-react';
import { deleteVideo } from '@/api/deleteVideo';
import { errorMessage } from '@/api/errors';
import { getVideo } from '@/api/getVideo';
import { recordLike } from '@/api/recordLike';
import { recordView } from '@/api/recordView';
import { ConfirmDialog, ErrorState, LoadingState, ProgressBar, StatusBadge } from '@/components';
import { formatCount, formatDateTime, formatPercent } from '@/lib/format';
import { useAsync, useInterval } from '@/lib/useAsync';
import { VideoDetails } from './VideoDetails';
import { VideoPlayer } from './VideoPlayer';

export function WatchPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { data: video, error, loading, reload, setData } = useAsync((signal) => getVideo(id, signal), [id]);
  const [liking, setLiking] = useState(false);
  const [liked, setLiked] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const pending = video && (video.status === 'UPLOADED' || video.status === 'PROCESSING');
  useInterval(() => reload(true), 2000, Boolean(pending));

  const onFirstPlay = useCallback(() => {
    recordView(id)
      .then((res) => {
        if (res.views != null) setData((v) => (v ? { ...v, views: res.views! } : v));
      })
      .catch(() => {
        /* a lost view count must not interrupt playback */
      });
  }, [id, setData]);

  const like = async () => {
    setLiking(true);
    setActionError(null);
    try {
      const res = await recordLike(id);
      setLiked(true);
      if (res.likes != null) setData((v) => (v ? { ...v, likes: res.likes! } : v));
    } catch (e) {
      setActionError(errorMessage(e));
    } finally {
      setLiking(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await deleteVideo(id);
      navigate('/', { replace: true });
    } catch (e) {
      setActionError(errorMessage(e));
      setConfirming(false);
    } finally {
      setDeleting(false);
    }
  };
  const closeConfirm = useCallback(() => setConfirming(false), []);

  if (loading && !video) return <LoadingState label="Loading video…" />;
  if (error && !video) {
    return (
      <ErrorState
        title="Could not load this video"
        message={error}
        onRetry={() => reload()}
      />
    );
  }
  if (!video) return null;

  return (
    <div>
      <Link to="/" className="btn-ghost -ml-3 mb-4 px-3 py-1.5 text-sm">
        <ArrowLeft aria-hidden className="h-4 w-4" /> Library
      </Link>
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {video.status === 'PROCESSED' ? (
            <VideoPlayer video={video} onFirstPlay={onFirstPlay} />
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

          <div className="mt-4 flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
            <div className="min-w-0">
              <h1 className="break-words text-xl font-semibold text-white">{video.title}</h1>
              <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-400">
                <span className="inline-flex items-center gap-1">
                  <Eye aria-hidden className="h-4 w-4" /> {formatCount(video.views)} views
                </span>
                <span>{formatPercent(video.engagement)} engagement</span>
                <span>Uploaded {formatDateTime(video.timestamp)}</span>
              </p>
            </div>
            <div className="flex shrink-0 gap-2">
              <button
                type="button"
                className={liked ? 'btn-primary' : 'btn-secondary'}
                onClick={() => void like()}
                disabled={liking}
                aria-label={`Like (${video.likes} likes)`}
              >
                <Heart aria-hidden className={`h-4 w-4 ${liked ? 'fill-current' : ''}`} />
                <span className="tabular-nums">{formatCount(video.likes)}</span>
              </button>
              {video.status === 'PROCESSED' && video.video_url && (
                <a href={video.video_url} download className="btn-secondary" aria-label="Download the MP4">
                  <Download aria-hidden className="h-4 w-4" /> <span className="hidden sm:inline">Download</span>
                </a>
              )}
              <button type="button" className="btn-secondary text-rose-300 hover:text-rose-200" onClick={() => setConfirming(true)}>
                <Trash2 aria-hidden className="h-4 w-4" /> Delete
              </button>
            </div>
          </div>
          {actionError && <p role="alert" className="mt-3 text-sm text-rose-300">{actionError}</p>}
          {video.description && <p className="mt-4 whitespace-pre-line text-sm text-slate-300">{video.description}</p>}
        </div>
        <VideoDetails video={video} />
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete this video?"
        message={`"${video.title}" and all its renditions, thumbnails and counters will be removed. This cannot be undone.`}
        confirmLabel="Delete video"
        busy={deleting}
        onConfirm={() => void remove()}
        onCancel={closeConfirm}
      />
    </div>
  );
}
