import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import type { Visibility, VideoEdit } from '@/api/authTypes';
import { errorMessage } from '@/api/errors';
import { videoEdited } from '@/api/queries';
import type { Video } from '@/api/types';
import { updateVideo } from '@/api/updateVideo';
import { VisibilitySelect } from '@/components';
import { videoChanges } from './edit';

/** The owner's (or a moderator's) edit of title, description and visibility. */
export function EditVideoPanel({
  video,
  visibility,
  onDone,
}: {
  video: Video;
  visibility: Visibility;
  onDone: () => void;
}) {
  const client = useQueryClient();
  const before = { title: video.title, description: video.description ?? '', visibility };
  const [title, setTitle] = useState(before.title);
  const [description, setDescription] = useState(before.description);
  const [vis, setVis] = useState<Visibility>(visibility);
  const [invalid, setInvalid] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (edit: VideoEdit) => updateVideo(video.video_id, edit),
    onSuccess: (updated) => {
      videoEdited(client, updated);
      onDone();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return setInvalid('The title cannot be empty.');
    setInvalid(null);
    const edit = videoChanges(before, { title, description, visibility: vis });
    if (Object.keys(edit).length === 0) return onDone();
    save.mutate(edit);
  };

  return (
    <form onSubmit={submit} className="card mt-4 flex flex-col gap-4 p-5" aria-label="Edit video">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-400">Edit video</h2>
      <div>
        <label htmlFor="edit-title" className="label">
          Title
        </label>
        <input
          id="edit-title"
          className="input"
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
        />
      </div>
      <div>
        <label htmlFor="edit-description" className="label">
          Description
        </label>
        <textarea
          id="edit-description"
          className="input min-h-[6rem]"
          rows={4}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="max-w-xs">
        <VisibilitySelect id="edit-visibility" value={vis} onChange={setVis} />
      </div>
      {vis !== visibility && (
        <p className="text-xs text-amber-200">
          Changing the visibility stops every link to the media handed out so far; the page reloads the player.
        </p>
      )}
      {(invalid || save.isError) && (
        <p role="alert" className="text-sm text-rose-300">
          {invalid ?? errorMessage(save.error)}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="btn-primary" disabled={save.isPending}>
          {save.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
          Save changes
        </button>
      </div>
    </form>
  );
}
