import { useState } from 'react';
import { Film } from 'lucide-react';
import type { Video } from '@/api/types';
import { formatDuration } from '@/lib/format';

/** 16:9 thumbnail (the server makes 320×180) with the runtime in a corner. */
export function Thumbnail({ video, className = '' }: { video: Video; className?: string }) {
  const [broken, setBroken] = useState(false);
  const src = video.thumbnail_url;
  return (
    <div className={`relative aspect-video overflow-hidden rounded-lg bg-slate-800 ${className}`}>
      {src && !broken ? (
        <img
          src={src}
          alt=""
          loading="lazy"
          className="h-full w-full object-cover transition-transform duration-300 group-hover:scale-105"
          onError={() => setBroken(true)}
        />
      ) : (
        <div className="flex h-full w-full items-center justify-center text-slate-600">
          <Film aria-hidden className="h-8 w-8" />
        </div>
      )}
      {video.duration_seconds != null && (
        <span className="absolute bottom-1.5 right-1.5 rounded bg-black/75 px-1.5 py-0.5 text-[11px] font-medium tabular-nums text-white">
          {formatDuration(video.duration_seconds)}
        </span>
      )}
    </div>
  );
}
