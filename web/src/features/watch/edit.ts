// The watch page's edit form, as a request. Pure, so it is unit-tested.

import type { Visibility, VideoEdit } from '@/api/authTypes';

/** Only what changed is sent (PATCH semantics); nothing changed → nothing to send. */
export function videoChanges(
  before: { title: string; description: string; visibility: Visibility },
  after: { title: string; description: string; visibility: Visibility },
): VideoEdit {
  const edit: VideoEdit = {};
  const title = after.title.trim();
  if (title !== before.title) edit.title = title;
  if (after.description !== before.description) edit.description = after.description;
  if (after.visibility !== before.visibility) edit.visibility = after.visibility;
  return edit;
}
