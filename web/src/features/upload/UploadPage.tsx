import { useState } from 'react';
import { AnimatePresence } from 'framer-motion';
import { ShieldAlert } from 'lucide-react';
import type { Visibility } from '@/api/authTypes';
import { LoadingState, PageHeader, SignInPrompt, VisibilitySelect } from '@/components';
import { useMe } from '@/lib/useMe';
import { DropZone } from './DropZone';
import { SENDING_PHASES } from './queue';
import { UploadRow } from './UploadRow';
import { useUploadQueue } from './useUploadQueue';

const SUBTITLE =
  'Add several videos at once. Each one is checked here first, then stored, transcoded for streaming and given a thumbnail. An interrupted upload continues where it stopped when you choose the same file again.';

export function UploadPage() {
  const { me, loading, can } = useMe();
  if (loading) return <LoadingState label="Loading…" />;
  if (!me || !can('upload')) {
    return (
      <div className="mx-auto max-w-3xl">
        <PageHeader title="Upload" subtitle={SUBTITLE} />
        {me ? (
          <SignInPrompt
            signedIn
            icon={<ShieldAlert className="h-7 w-7" />}
            title="Your account cannot upload"
            message="Ask an admin for a role that may upload videos."
          />
        ) : (
          <SignInPrompt
            title="Sign in to upload"
            message="Uploading needs an account: sign in, then add your videos."
          />
        )}
      </div>
    );
  }
  return <Uploader />;
}

function Uploader() {
  const { queue, items } = useUploadQueue();
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const finished = items.some((i) => !SENDING_PHASES.includes(i.phase) && i.phase !== 'processing');
  const active = items.filter((i) => i.phase === 'uploading' || i.phase === 'queued').length;

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader title="Upload" subtitle={SUBTITLE} />
      <div className="mb-4 grid gap-4 sm:grid-cols-[minmax(0,1fr)_16rem]">
        <div>
          <label htmlFor="upload-title" className="label">
            Title <span className="normal-case text-slate-500">(optional)</span>
          </label>
          <input
            id="upload-title"
            className="input"
            maxLength={300}
            value={title}
            placeholder="The file's name"
            onChange={(e) => setTitle(e.target.value)}
            aria-describedby="upload-title-help"
          />
          <p id="upload-title-help" className="mt-1 text-xs text-slate-500">
            For the next file you choose; several at once are each named after their file.
          </p>
        </div>
        <VisibilitySelect id="upload-visibility" value={visibility} onChange={setVisibility} />
        <div className="sm:col-span-2">
          <label htmlFor="upload-description" className="label">
            Description <span className="normal-case text-slate-500">(optional)</span>
          </label>
          <textarea
            id="upload-description"
            className="input min-h-[3.5rem]"
            rows={2}
            maxLength={5000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
      </div>
      <DropZone
        onFiles={(files) => {
          // Title and description go with the files of this choice (a title only with a single
          // file), then the fields empty for the next one.
          queue.add(files, { visibility, title: files.length === 1 ? title : undefined, description });
          setTitle('');
          setDescription('');
        }}
      />
      {items.length > 0 && (
        <section className="mt-8" aria-labelledby="queue-title">
          <div className="mb-3 flex items-center justify-between">
            <h2 id="queue-title" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
              Uploads {active > 0 && <span className="normal-case text-slate-500">· {active} in progress</span>}
            </h2>
            {finished && (
              <button type="button" className="btn-ghost px-2 py-1 text-xs" onClick={() => queue.clearFinished()}>
                Clear finished
              </button>
            )}
          </div>
          <ul className="flex flex-col gap-3">
            <AnimatePresence initial={false}>
              {items.map((item) => (
                <UploadRow
                  key={item.id}
                  item={item}
                  onCancel={() => queue.cancel(item.id)}
                  onRemove={() => queue.remove(item.id)}
                  onPause={() => queue.pause(item.id)}
                  onResume={() => queue.resume(item.id)}
                  onContinue={() => queue.continuePrevious(item.id)}
                  onStartOver={() => queue.startOver(item.id)}
                />
              ))}
            </AnimatePresence>
          </ul>
        </section>
      )}
    </div>
  );
}
