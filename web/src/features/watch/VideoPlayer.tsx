import { useEffect, useRef, useState } from 'react';
import Hls from 'hls.js';
import { Settings2 } from 'lucide-react';
import type { Video } from '@/api/types';
import { choosePlaybackSource, qualityLevels, type QualityLevel } from './playback';

export interface VideoPlayerProps {
  video: Video;
  /** Called once per mounted player, on the first `play`. */
  onFirstPlay?: () => void;
}

export function VideoPlayer({ video, onFirstPlay }: VideoPlayerProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const hlsRef = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<QualityLevel[]>([]);
  const [level, setLevel] = useState(-1);
  const [autoLabel, setAutoLabel] = useState('');
  const [mode, setMode] = useState<'hls' | 'mp4' | 'none'>('none');
  const [notice, setNotice] = useState<string | null>(null);
  const played = useRef(false);

  // The player loads its sources once per video. Signed URLs change on every fetch of the video,
  // so only a new id, or a source appearing or going, loads them again; until then the URLs
  // first seen are kept (React's "state from the previous render" pattern, no effect needed).
  const sourceKey = `${video.video_id}|${Boolean(video.hls_url)}|${Boolean(video.video_url)}`;
  const [sources, setSources] = useState({ key: sourceKey, hls_url: video.hls_url, video_url: video.video_url });
  if (sources.key !== sourceKey) {
    setSources({ key: sourceKey, hls_url: video.hls_url, video_url: video.video_url });
  }

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    played.current = false;
    const source = choosePlaybackSource(sources, Hls.isSupported());
    setMode(source.kind);
    setLevels([]);
    setLevel(-1);
    setNotice(null);

    if (source.kind === 'hls') {
      const hls = new Hls({ capLevelToPlayerSize: true });
      hlsRef.current = hls;
      hls.on(Hls.Events.MANIFEST_PARSED, () => setLevels(qualityLevels(hls.levels)));
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
        const l = hls.levels[data.level];
        setAutoLabel(l?.height ? `${l.height}p` : '');
      });
      hls.on(Hls.Events.ERROR, (_e, data) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
          hls.recoverMediaError();
          return;
        }
        hls.destroy();
        hlsRef.current = null;
        setLevels([]);
        if (source.fallback) {
          setMode('mp4');
          setNotice('Adaptive streaming failed; playing the MP4 instead.');
          el.src = source.fallback;
        } else {
          setNotice('This video could not be played.');
        }
      });
      hls.loadSource(source.url);
      hls.attachMedia(el);
    } else if (source.kind === 'mp4') {
      el.src = source.url;
    }
    return () => {
      hlsRef.current?.destroy();
      hlsRef.current = null;
      el.removeAttribute('src');
      el.load();
    };
  }, [sources]);

  const onPlay = () => {
    if (played.current) return;
    played.current = true;
    onFirstPlay?.();
  };

  const choose = (value: number) => {
    setLevel(value);
    if (hlsRef.current) hlsRef.current.currentLevel = value;
  };

  return (
    <div>
      <div className="overflow-hidden rounded-xl bg-black ring-1 ring-slate-800">
        <video
          ref={ref}
          controls
          playsInline
          preload="metadata"
          poster={video.poster_url ?? video.thumbnail_url ?? undefined}
          onPlay={onPlay}
          onError={() =>
            mode === 'mp4' &&
            setNotice('The video file could not be loaded. The link may have expired; reload the page.')
          }
          className="aspect-video w-full bg-black"
          aria-label={`Video player: ${video.title}`}
        />
      </div>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-400">
        <span>
          {mode === 'hls' ? 'Adaptive streaming (HLS)' : mode === 'mp4' ? 'Progressive MP4' : 'No playable source yet'}
          {notice && (
            <span className="ml-2 text-amber-300" role="status">
              {notice}
            </span>
          )}
        </span>
        {levels.length > 0 && (
          <label className="inline-flex items-center gap-2">
            <Settings2 aria-hidden className="h-4 w-4" />
            <span>Quality</span>
            <select
              className="input w-auto py-1 text-xs"
              value={level}
              onChange={(e) => choose(Number(e.target.value))}
            >
              <option value={-1}>Auto{level === -1 && autoLabel ? ` (${autoLabel})` : ''}</option>
              {levels.map((l) => (
                <option key={l.index} value={l.index}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    </div>
  );
}
