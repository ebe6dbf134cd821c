import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { getVideo } from '@/api/getVideo';
import { videoChanged } from '@/api/queries';
import { UploadQueue, type UploadItem } from './queue';
import { serverUploader } from './uploader';

// One queue for the whole app: uploads keep going (and keep following processing) while the
// person browses the library or watches something, and the list is still there on return.
let shared: UploadQueue | null = null;

function sharedQueue(queryClient: QueryClient): UploadQueue {
  shared ??= new UploadQueue({
    createTransfer: serverUploader(),
    getVideo: (id) => getVideo(id),
    // A new video, or one whose processing moved on: the cached lists and totals are stale.
    onVideo: (video) => videoChanged(queryClient, video),
  });
  return shared;
}

/** Tests only: cancels everything and starts the next render with an empty queue. */
export function resetUploadQueue(): void {
  shared?.dispose();
  shared = null;
}

export function useUploadQueue(): { queue: UploadQueue; items: UploadItem[] } {
  const queue = sharedQueue(useQueryClient());
  const subscribe = useCallback((onChange: () => void) => queue.subscribe(onChange), [queue]);
  const items = useSyncExternalStore(subscribe, () => queue.getItems());
  return { queue, items };
}

/**
 * How many files are still being sent. While any are, closing or reloading the tab asks first:
 * what the server has is kept, but the upload only continues once the file is chosen again.
 */
export function useActiveUploads(): number {
  const { items } = useUploadQueue();
  const active = items.filter((i) => ['checking', 'queued', 'uploading'].includes(i.phase)).length;
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [active]);
  return active;
}
