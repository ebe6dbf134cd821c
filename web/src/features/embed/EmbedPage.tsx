// The embed player (/embed/{id}): only the player, filling the frame another site gives it, with
// the title linking back to the watch page. The server lets KINORA_EMBED_ORIGINS frame this path
// and no other; what the viewer may not watch answers 404 here as everywhere.
import { useCallback } from 'react';
import { useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { ExternalLink, Loader2 } from 'lucide-react';
import { ApiError } from '@/api/errors';
import { videoQuery } from '@/api/queries';
import { VideoPlayer } from '@/components/player/VideoPlayer';
import { storyboardUrlOf } from '@/lib/content/api';

function Message({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex h-screen w-screen items-center justify-center bg-black p-6 text-center text-sm text-slate-300">
      {children}
    </div>
  );
}

export function EmbedPage() {
  const { id = '' } = useParams();
  const { data: video, error, isPending, refetch } = useQuery({ ...videoQuery(id), retry: false });
  const refresh = useCallback(async () => {
    const result = await refetch();
    return result.isError ? null : result.data;
  }, [refetch]);

  if (isPending) {
    return (
      <Message>
        <Loader2 aria-hidden className="mr-2 h-5 w-5 animate-spin" />
        <span role="status">Loading…</span>
      </Message>
    );
  }
  if (!video) {
    const missing = error instanceof ApiError && (error.status === 404 || error.status === 403);
    return (
      <Message>
        <p role="alert">
          {missing ? 'This video is not available.' : 'The video could not be loaded. Try again later.'}
        </p>
      </Message>
    );
  }
  if (video.status !== 'PROCESSED') {
    return (
      <Message>
        <p role="status">
          {video.status === 'FAILED' ? 'This video cannot be played.' : 'This video is not ready yet.'}
        </p>
      </Message>
    );
  }
  const watchUrl = `${window.location.origin}/watch/${encodeURIComponent(video.video_id)}`;
  return (
    <div className="relative h-screen w-screen overflow-hidden bg-black">
      <VideoPlayer
        video={video}
        surface="embed"
        refresh={refresh}
        footer={false}
        className="h-full w-full"
        storyboardUrl={storyboardUrlOf(video, null)}
      />
      <a
        href={watchUrl}
        target="_blank"
        rel="noopener noreferrer"
        className="absolute inset-x-0 top-0 flex items-center gap-2 bg-gradient-to-b from-black/80 to-transparent px-3 pb-6 pt-2 text-sm font-medium text-white hover:underline"
        title="Watch on Kinora"
      >
        <span className="truncate">{video.title}</span>
        <ExternalLink aria-hidden className="h-4 w-4 shrink-0" />
      </a>
    </div>
  );
}
