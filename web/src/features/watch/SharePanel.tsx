import { useState } from 'react';
import { Check, Copy } from 'lucide-react';
import type { Visibility } from '@/api/authTypes';

/** The watch page's link and the embed player's `<iframe>` code, for this site's address. */
export function shareCodes(origin: string, videoId: string, title: string): { link: string; embed: string } {
  const id = encodeURIComponent(videoId);
  const safeTitle = title.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    link: `${origin}/watch/${id}`,
    embed:
      `<iframe src="${origin}/embed/${id}" title="${safeTitle}" width="640" height="360" ` +
      `style="border:0;aspect-ratio:16/9;width:100%;max-width:640px;height:auto" ` +
      `allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>`,
  };
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const id = `share-${label.toLowerCase().replace(/\W+/g, '-')}`;
  const copy = async () => {
    setState((await copyText(value)) ? 'copied' : 'failed');
    window.setTimeout(() => setState('idle'), 2000);
  };
  return (
    <div>
      <label htmlFor={id} className="text-xs font-medium text-slate-400">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        {multiline ? (
          <textarea
            id={id}
            readOnly
            rows={3}
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            className="input flex-1 resize-none font-mono text-xs"
          />
        ) : (
          <input
            id={id}
            readOnly
            value={value}
            onFocus={(e) => e.currentTarget.select()}
            className="input flex-1 font-mono text-xs"
          />
        )}
        <button
          type="button"
          className="btn-secondary shrink-0 self-start"
          onClick={() => void copy()}
          aria-label={`Copy ${label.toLowerCase()}`}
        >
          {state === 'copied' ? <Check aria-hidden className="h-4 w-4" /> : <Copy aria-hidden className="h-4 w-4" />}
          <span>{state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}</span>
        </button>
      </div>
    </div>
  );
}

export function SharePanel({
  videoId,
  title,
  visibility,
}: {
  videoId: string;
  title: string;
  visibility: Visibility | null;
}) {
  const { link, embed } = shareCodes(window.location.origin, videoId, title);
  const note =
    visibility === 'private'
      ? 'This video is private: only you (and moderators) can watch it, here or embedded.'
      : visibility === 'internal'
        ? 'This video is internal: only signed-in users can watch it; an embed on another site shows nothing to others.'
        : visibility === 'unlisted'
          ? 'Unlisted: anyone with the link or the embed can watch it; it is not listed.'
          : null;
  return (
    <section className="card mt-4 space-y-4 p-5" aria-label="Share">
      <h2 className="text-sm font-semibold text-white">Share</h2>
      <CopyField label="Link" value={link} />
      <CopyField label="Embed code" value={embed} multiline />
      {note && <p className="text-xs text-amber-300">{note}</p>}
    </section>
  );
}
