// What is in the video (docs/content-analysis.md), for its owner, moderators and admins: the
// flags as messages, loudness figures, the waveform and the scene, black, frozen and silent
// markers on one timeline, and a strip of the scenes' first frames from the storyboard. No
// analysis yet (a 404) says so, and offers admins (manage_settings) to process the video again.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertTriangle, Info, Loader2, RefreshCw, ScanSearch } from 'lucide-react';
import { errorMessage } from '@/api/errors';
import { queryKeys, videoQuery } from '@/api/queries';
import { ContentTimeline } from '@/components/content/ContentTimeline';
import { StoryboardTileView } from '@/components/content/StoryboardTileView';
import { contentQuery, isNoAnalysis, reprocessVideo, useStoryboard } from '@/lib/content/api';
import { flagDetails, isWarningFlag } from '@/lib/content/flags';
import { sceneStarts } from '@/lib/content/timeline';
import type { ContentAnalysis, Loudness } from '@/lib/content/types';
import { tileAt } from '@/lib/content/vtt';
import { cn } from '@/lib/cn';
import { formatDuration } from '@/lib/format';

/** While a reprocess is under way, the panel asks for the analysis this often. */
const REPROCESS_POLL_MS = 5000;

function figure(value: number | null | undefined, unit: string, signed = false): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const text = value.toFixed(1).replace('-', '−');
  return `${signed && value > 0 ? '+' : ''}${text} ${unit}`;
}

function LoudnessFigures({ loudness }: { loudness: Loudness | null }) {
  if (!loudness) return <p className="text-sm text-slate-500">No audio track: no loudness to measure.</p>;
  const items = [
    {
      label: 'Integrated',
      value: figure(loudness.integrated_lufs, 'LUFS'),
      hint: 'Programme loudness (EBU R128); streaming platforms aim near −14 to −16 LUFS',
    },
    { label: 'Range', value: figure(loudness.range_lu, 'LU'), hint: 'Loudness range: how much it varies' },
    {
      label: 'True peak',
      value: figure(loudness.true_peak_dbtp, 'dBTP', true),
      hint: 'Highest inter-sample peak; keep under −1 dBTP',
    },
  ];
  return (
    <dl className="grid grid-cols-3 gap-3" aria-label="Loudness">
      {items.map((i) => (
        <div key={i.label} className="rounded-lg bg-slate-800/50 px-3 py-2" title={i.hint}>
          <dt className="text-xs text-slate-400">{i.label}</dt>
          <dd className="text-base font-semibold tabular-nums text-white">{i.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Flags({ analysis }: { analysis: ContentAnalysis }) {
  const flags = flagDetails(analysis);
  if (!flags.length) {
    return <p className="text-sm text-emerald-300">Nothing to flag: levels, picture and sound look fine.</p>;
  }
  return (
    <ul className="space-y-1.5" aria-label="Content flags">
      {flags.map((f, i) => {
        const warning = f.severity !== 'info' && isWarningFlag(f.code);
        const Icon = warning ? AlertTriangle : Info;
        return (
          <li key={`${f.code}-${i}`} className="flex items-start gap-2 text-sm">
            <Icon
              aria-hidden
              className={cn('mt-0.5 h-4 w-4 shrink-0', warning ? 'text-amber-300' : 'text-slate-400')}
            />
            <span className={warning ? 'text-amber-100' : 'text-slate-300'}>
              {f.message.charAt(0).toUpperCase() + f.message.slice(1)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function SceneStrip({
  analysis,
  vttUrl,
  onSeek,
}: {
  analysis: ContentAnalysis;
  vttUrl: string | null;
  onSeek?: (time: number) => void;
}) {
  const tiles = useStoryboard(vttUrl);
  const starts = sceneStarts(analysis.scenes, analysis.duration_seconds);
  return (
    <ol className="flex gap-2 overflow-x-auto pb-1" aria-label="Scenes">
      {starts.map((t, i) => {
        const tile = tileAt(tiles, t);
        const thumb = (
          <>
            {tile ? (
              <StoryboardTileView
                tile={tile}
                width={112}
                className="rounded"
                label={`Scene ${i + 1} at ${formatDuration(t)}`}
              />
            ) : (
              <div className="flex h-[63px] w-28 items-center justify-center rounded bg-slate-800 text-xs text-slate-500">
                Scene {i + 1}
              </div>
            )}
            <span className="mt-0.5 block text-center text-[11px] tabular-nums text-slate-400">
              {formatDuration(t)}
            </span>
          </>
        );
        return (
          <li key={t} className="shrink-0" data-testid="scene-thumb">
            {onSeek ? (
              <button
                type="button"
                className="block rounded focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-400"
                title={`Play from ${formatDuration(t)}`}
                aria-label={`Play from ${formatDuration(t)} (scene ${i + 1})`}
                onClick={() => onSeek(t)}
              >
                {thumb}
              </button>
            ) : (
              thumb
            )}
          </li>
        );
      })}
    </ol>
  );
}

function NoAnalysis({ videoId, admin }: { videoId: string; admin: boolean }) {
  const queryClient = useQueryClient();
  const [queued, setQueued] = useState(false);
  const reprocess = useMutation({
    mutationFn: () => reprocessVideo(videoId),
    onSuccess: () => {
      setQueued(true);
      void queryClient.invalidateQueries({ queryKey: queryKeys.video(videoId) });
    },
  });
  // Follow the reprocess through the video document until its summary says there is an analysis
  // (the page then asks for it), or until it fails: the video keeps its outputs and says why in
  // `error` (docs/content-analysis.md, "API").
  const followed = useQuery({
    ...videoQuery(videoId),
    enabled: queued,
    refetchInterval: (q) => (queued && !q.state.data?.error ? REPROCESS_POLL_MS : false),
  });
  const failure = queued ? followed.data?.error : null;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <p className="text-sm text-slate-400">
        {failure
          ? `Processing it again failed: ${failure}`
          : queued
            ? 'Queued for processing again; the analysis appears here when it is done.'
            : 'No content analysis yet: this video was processed before the analysis existed.'}
      </p>
      {admin && !queued && (
        <button
          type="button"
          className="btn-secondary"
          onClick={() => reprocess.mutate()}
          disabled={reprocess.isPending}
        >
          {reprocess.isPending ? (
            <Loader2 aria-hidden className="h-4 w-4 animate-spin" />
          ) : (
            <RefreshCw aria-hidden className="h-4 w-4" />
          )}
          Reprocess
        </button>
      )}
      {reprocess.error && (
        <p role="alert" className="w-full text-sm text-rose-300">
          {errorMessage(reprocess.error)}
        </p>
      )}
    </div>
  );
}

export function ContentPanel({
  videoId,
  analysed = true,
  admin,
  onSeek,
}: {
  videoId: string;
  /** Whether the video's summary says it has an analysis; without one nothing is asked. */
  analysed?: boolean;
  admin: boolean;
  /** Moves the page's player to a moment (a scene thumbnail or the timeline clicked). */
  onSeek?: (time: number) => void;
}) {
  const content = useQuery({ ...contentQuery(videoId), enabled: analysed });
  const a = content.data;
  const vttUrl = a?.storyboard?.vtt_url ?? null;
  const tiles = useStoryboard(vttUrl);

  let body: React.ReactNode;
  if (!analysed) {
    body = <NoAnalysis videoId={videoId} admin={admin} />;
  } else if (content.isPending) {
    body = (
      <p className="flex items-center gap-2 text-sm text-slate-400" role="status">
        <Loader2 aria-hidden className="h-4 w-4 animate-spin" /> Loading the analysis…
      </p>
    );
  } else if (isNoAnalysis(content.error)) {
    body = <NoAnalysis videoId={videoId} admin={admin} />;
  } else if (!a) {
    body = (
      <p role="alert" className="text-sm text-rose-300">
        Could not load the analysis: {errorMessage(content.error)}
      </p>
    );
  } else {
    body = (
      <div className="space-y-5">
        {!a.complete && (
          <div
            role="status"
            className="rounded-lg bg-amber-500/10 px-3 py-2 text-sm text-amber-200 ring-1 ring-amber-500/30"
          >
            <p className="font-medium">Analysis incomplete</p>
            <ul className="mt-1 list-disc pl-5 text-amber-100/90">
              {(a.incomplete.length ? a.incomplete : ['no reason was given']).map((why) => (
                <li key={why}>{why}</li>
              ))}
            </ul>
          </div>
        )}
        <Flags analysis={a} />
        <LoudnessFigures loudness={a.loudness} />
        <div>
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-400">
            Scenes ({a.scenes.length + 1})
          </h3>
          <SceneStrip analysis={a} vttUrl={vttUrl} onSeek={onSeek} />
        </div>
        <div>
          <h3 className="mb-2 text-xs font-medium uppercase tracking-wide text-slate-400">Timeline</h3>
          <ContentTimeline analysis={a} tiles={tiles} onSeek={onSeek} />
        </div>
      </div>
    );
  }

  return (
    <section className="card mt-6 p-5" aria-label="Content analysis" data-testid="content-panel">
      <div className="mb-4 flex items-center justify-between gap-2">
        <h2 className="flex items-center gap-2 text-sm font-semibold text-white">
          <ScanSearch aria-hidden className="h-4 w-4 text-brand-300" /> Content analysis
        </h2>
        {a && (
          <span className="text-xs text-slate-500">
            {formatDuration(a.duration_seconds)} · {a.complete ? 'complete' : 'incomplete'}
          </span>
        )}
      </div>
      {body}
    </section>
  );
}
