import { useRef, useState, type DragEvent } from 'react';
import { UploadCloud } from 'lucide-react';
import { cn } from '@/lib/cn';
import { formatBytes } from '@/lib/format';
import { ALLOWED_EXTENSIONS, DEFAULT_MAX_BYTES } from './queue';

export function DropZone({
  onFiles,
  maxBytes = DEFAULT_MAX_BYTES,
}: {
  onFiles: (files: File[]) => void;
  maxBytes?: number;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files ?? []);
    if (files.length) onFiles(files);
  };

  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      className={cn(
        'flex flex-col items-center justify-center gap-3 rounded-2xl border-2 border-dashed px-6 py-12 text-center transition-colors',
        over ? 'border-brand-400 bg-brand-500/10' : 'border-slate-700 bg-slate-900/40 hover:border-slate-600',
      )}
    >
      <div className="rounded-full bg-brand-500/10 p-4 text-brand-300" aria-hidden>
        <UploadCloud className="h-8 w-8" />
      </div>
      <div>
        <p className="text-base font-medium text-white">Drag and drop videos here</p>
        <p className="mt-1 text-sm text-slate-400">
          {ALLOWED_EXTENSIONS.join(', ')} · up to {formatBytes(maxBytes)} each
        </p>
      </div>
      <button type="button" className="btn-primary" onClick={() => input.current?.click()}>
        Choose files
      </button>
      <input
        ref={input}
        type="file"
        multiple
        accept={ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(',') + ',video/*'}
        className="sr-only"
        aria-label="Choose video files to upload"
        tabIndex={-1}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          if (files.length) onFiles(files);
          e.target.value = '';
        }}
      />
    </div>
  );
}
