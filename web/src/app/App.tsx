import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { LoadingState } from '@/components';
import { LoginPage } from '@/features/auth/LoginPage';
import { SignupPage } from '@/features/auth/SignupPage';
import { LibraryPage } from '@/features/library/LibraryPage';
import { UploadPage } from '@/features/upload/UploadPage';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';

// The player (hls.js) and the charts (Recharts) are the heavy parts: load them with their page.
const WatchPage = lazy(() => import('@/features/watch/WatchPage').then((m) => ({ default: m.WatchPage })));
const AnalyticsPage = lazy(() =>
  import('@/features/analytics/AnalyticsPage').then((m) => ({ default: m.AnalyticsPage })),
);
const EmbedPage = lazy(() => import('@/features/embed/EmbedPage').then((m) => ({ default: m.EmbedPage })));
const VideoAnalyticsPage = lazy(() =>
  import('@/features/audience/VideoAnalyticsPage').then((m) => ({ default: m.VideoAnalyticsPage })),
);
// Account pages are visited rarely: their own chunks too.
const AccountPage = lazy(() => import('@/features/auth/AccountPage').then((m) => ({ default: m.AccountPage })));
const TokensPage = lazy(() => import('@/features/tokens/TokensPage').then((m) => ({ default: m.TokensPage })));
const AdminUsersPage = lazy(() =>
  import('@/features/admin/AdminUsersPage').then((m) => ({ default: m.AdminUsersPage })),
);

const loading = <LoadingState />;

export function App() {
  return (
    <Routes>
      {/* The embed player fills the frame another site gives it: no header, no navigation. */}
      <Route
        path="embed/:id"
        element={
          <Suspense fallback={null}>
            <EmbedPage />
          </Suspense>
        }
      />
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
        <Route
          path="videos/:id/analytics"
          element={
            <Suspense fallback={<LoadingState label="Loading analytics…" />}>
              <VideoAnalyticsPage />
            </Suspense>
          }
        />
        <Route path="login" element={<LoginPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route
          path="account"
          element={
            <Suspense fallback={loading}>
              <AccountPage />
            </Suspense>
          }
        />
        <Route
          path="account/tokens"
          element={
            <Suspense fallback={loading}>
              <TokensPage />
            </Suspense>
          }
        />
        <Route
          path="admin/users"
          element={
            <Suspense fallback={loading}>
              <AdminUsersPage />
            </Suspense>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
