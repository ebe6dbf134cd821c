import { screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Video, VideoList } from '@/api/types';
import { listVideos } from '@/api/listVideos';
import { LibraryPage } from './LibraryPage';
import { renderWithQueryClient } from '@/test/render';

vi.mock('@/api/listVideos', () => ({ listVideos: vi.fn() }));
const mocked = vi.mocked(listVideos);

function video(patch: Partial<Video>): Video {
  return {
    video_id: '0b6a1f52-8c1e-4d7a-9a53-2f4f0c8f9e21',
    title: 'Sunset timelapse',
    status: 'PROCESSED',
    progress: 1,
    views: 12,
    likes: 3,
    engagement: 0.25,
    duration_seconds: 125,
    size: 1024,
    timestamp: new Date().toISOString(),
    thumbnail_url: null,
    error: null,
    ...patch,
  } as Video;
}

function page(videos: Video[], next: string | null = null): VideoList {
  return { videos, count: videos.length, total: videos.length + (next ? 10 : 0), next_cursor: next };
}

const renderPage = () =>
  renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <LibraryPage />
    </MemoryRouter>,
  );

describe('LibraryPage', () => {
  beforeEach(() => {
    // A block body: a function returned from beforeEach would run as teardown.
    mocked.mockReset();
  });

  it('shows a helpful empty state', async () => {
    mocked.mockResolvedValue(page([]));
    renderPage();
    expect(await screen.findByText('Your library is empty')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Upload your first video' })).toHaveAttribute('href', '/upload');
  });

  it('lists videos with links to watch them and offers more pages', async () => {
    mocked.mockResolvedValue(
      page([video({}), video({ video_id: 'b', title: 'Broken', status: 'FAILED', error: 'no video stream' })], 'c1'),
    );
    renderPage();
    expect(await screen.findByText('Sunset timelapse')).toBeInTheDocument();
    expect(screen.getAllByText('2:05')).toHaveLength(2);
    expect(screen.getByText('no video stream')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Load more' })).toBeEnabled();
    expect(mocked).toHaveBeenCalledWith(
      expect.objectContaining({ sort_by: 'timestamp', order: 'desc', limit: 24 }),
      expect.anything(),
    );
  });

  it('refreshes the list while a video is processing, and stops once it is done', async () => {
    mocked
      .mockResolvedValueOnce(page([video({ status: 'PROCESSING', progress: 0.4 })]))
      .mockResolvedValue(page([video({ status: 'PROCESSED' })]));
    renderPage();
    expect(await screen.findByText('updating live')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText('updating live')).toBeNull(), { timeout: 6000 });
    expect(mocked).toHaveBeenCalledTimes(2);
  }, 10_000);

  it('shows the server message when loading fails', async () => {
    mocked.mockRejectedValue(new Error('The service is temporarily unavailable; try again shortly.'));
    renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent('temporarily unavailable');
  });
});
