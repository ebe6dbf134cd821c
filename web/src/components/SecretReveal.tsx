import { useState } from 'react';
import { AlertTriangle, Check, Copy } from 'lucide-react';

/**
 * A secret the server shows exactly once (a new API token, a generated password): the value in a
 * selectable box, a copy button, and a warning that it will not be shown again.
 */
export function SecretReveal({ label, secret, warning }: { label: string; secret: string; warning: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard (a non-secure origin, or permission refused): the text stays selectable.
      setCopied('failed');
    }
  };
  return (
    <div>
      <p className="label">{label}</p>
      <div className="flex items-stretch gap-2">
        <code
          className="input flex-1 select-all break-all font-mono text-sm text-emerald-200"
          aria-label={label}
          data-secret
        >
          {secret}
        </code>
        <button type="button" className="btn-secondary shrink-0" onClick={() => void copy()}>
          {copied === 'yes' ? <Check aria-hidden className="h-4 w-4" /> : <Copy aria-hidden className="h-4 w-4" />}
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === 'failed' && (
        <p className="mt-1 text-xs text-slate-400">Copying is not available here: select the text and copy it.</p>
      )}
      <p
        role="note"
        className="mt-3 flex gap-2 rounded-lg bg-amber-500/10 p-3 text-sm text-amber-200 ring-1 ring-inset ring-amber-500/30"
      >
        <AlertTriangle aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        {warning}
      </p>
    </div>
  );
}
