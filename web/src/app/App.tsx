import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { LoadingState } from '@/components';
import { LibraryPage } from '@/features/library/LibraryPage';
import { UploadPage } from '@/features/upload/UploadPage';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

// The player (hls.js) and the charts (Recharts) are the heavy parts: load them with their page.
const WatchPage = lazy(() => import('@/features/watch/WatchPage').then((m) => ({ default: m.WatchPage })));
const AnalyticsPage = lazy(() =>
  import('@/features/analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })),
);

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<LibraryPage />} />
        <Route path="upload" element={<UploadPage />} />
        <Route
          path="watch/:id"
          element={
            <Suspense fallback={<LoadingState label="Loading player…" />}>
              <WatchPage />
            </Suspense>
          }
        />
        <Route
          path="analytics"
          element={
            <Suspense fallback={<LoadingState label="Loading analytics…" />}>
              <AnalyticsPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
