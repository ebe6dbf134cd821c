import { useEffect, useMemo, useState } from 'react';
import { getVideo } from '@/api/getVideo';
import { uploadVideo } from '@/api/uploadVideo';
import { UploadQueue, type UploadItem } from './queue';

/** One queue per mounted Upload page, wired to the real API. */
export function useUploadQueue() {
  const queue = useMemo(
    () =>
      new UploadQueue({
        upload: (file, opts) => uploadVideo(file, { signal: opts.signal, onProgress: opts.onProgress }),
        getVideo: (id) => getVideo(id),
      }),
    [],
  );
  const [items, setItems] = useState<UploadItem[]>(queue.getItems());
  useEffect(() => {
    const unsubscribe = queue.subscribe(setItems);
    return () => {
      unsubscribe();
    };
  }, [queue]);
  useEffect(() => () => queue.dispose(), [queue]);
  return { queue, items };
}
