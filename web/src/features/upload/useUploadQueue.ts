import { useEffect, useState } from 'react';
import { getVideo } from '@/api/getVideo';
import { uploadVideo } from '@/api/uploadVideo';
import { UploadQueue, type UploadItem } from './queue';

// One queue for the whole app: uploads keep going (and keep following processing) while the
// person browses the library or watches something, and the list is still there on return.
let shared: UploadQueue | null = null;

function sharedQueue(): UploadQueue {
  shared ??= new UploadQueue({
    upload: (file, opts) => uploadVideo(file, { signal: opts.signal, onProgress: opts.onProgress }),
    getVideo: (id) => getVideo(id),
  });
  return shared;
}

/** Tests only: cancels everything and starts the next render with an empty queue. */
export function resetUploadQueue(): void {
  shared?.dispose();
  shared = null;
}

export function useUploadQueue() {
  const queue = sharedQueue();
  const [items, setItems] = useState<UploadItem[]>(queue.getItems());
  useEffect(() => {
    setItems(queue.getItems());
    return queue.subscribe(setItems);
  }, [queue]);
  return { queue, items };
}

/**
 * How many files are still being sent. While any are, closing or reloading the tab asks first,
 * because the bytes sent so far would be lost.
 */
export function useActiveUploads(): number {
  const { items } = useUploadQueue();
  const active = items.filter((i) => i.phase === 'queued' || i.phase === 'uploading').length;
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
