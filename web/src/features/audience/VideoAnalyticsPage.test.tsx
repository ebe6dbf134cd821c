import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import * as audience from '@/api/audience';
import { ApiError } from '@/api/errors';
import { getVideo } from '@/api/getVideo';
import type { Video } from '@/api/types';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';
import { VideoAnalyticsPage } from './VideoAnalyticsPage';

vi.mock('@/api/getVideo', () => ({ getVideo: vi.fn() }));
vi.mock('@/api/audience', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/audience')>()),
  getVideoOverview: vi.fn(),
  getVideoTimeseries: vi.fn(),
  getVideoRetention: vi.fn(),
  getVideoQoe: vi.fn(),
  getVideoBreakdown: vi.fn(),
  getRealtime: vi.fn(),
}));

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('ResizeObserver', NoopResizeObserver);

const ID = 'vid-1';
const span = { from: '2026-11-07T00:00:00Z', to: '2026-12-05T00:00:00Z' };
const figures = {
  ...span,
  plays: 10,
  views: 8,
  unique_viewers: 6,
  watch_time_seconds: 600,
  avg_view_duration_seconds: 60,
  avg_percentage_viewed: 0.42,
  completion_rate: 0.3,
  startup_time_ms_p50: 350,
  startup_time_ms_p95: 900,
  rebuffer_percentage: 0.02,
};

function mockAll(plays = 10) {
  vi.mocked(getVideo).mockResolvedValue({
    video_id: ID,
    title: 'Sunrise',
    duration_seconds: 120,
    video_url: '/media/v.mp4',
  } as unknown as Video);
  vi.mocked(audience.getVideoOverview).mockResolvedValue({
    ...figures,
    plays,
    video_id: ID,
    likes: 2,
    previous: { ...figures, plays: 5, startup_time_ms_p50: 700 },
  });
  vi.mocked(audience.getVideoTimeseries).mockImplementation(async (_id, metric, interval) => ({
    ...span,
    video_id: ID,
    metric,
    interval,
    points: [
      { t: '2026-12-03T00:00:00Z', value: metric === 'views' ? 3 : 120 },
      { t: '2026-12-04T00:00:00Z', value: metric === 'views' ? 5 : 480 },
    ],
  }));
  vi.mocked(audience.getVideoRetention).mockResolvedValue({
    ...span,
    video_id: ID,
    duration_seconds: 120,
    plays,
    points: Array.from({ length: 100 }, (_, i) => 1 - i / 200),
    rewatch_points: Array(100).fill(0),
    seconds: Array.from({ length: 120 }, (_, i) => 1 - i / 240),
  });
  vi.mocked(audience.getVideoQoe).mockResolvedValue({
    ...span,
    video_id: ID,
    plays,
    startup_time_ms_p50: 350,
    startup_time_ms_p95: 900,
    exits_before_start: 1,
    playback_failures: 0,
    playback_failure_percentage: 0,
    stalls: 2,
    stall_seconds: 12,
    watch_time_seconds: 600,
    rebuffer_percentage: 0.02,
    rebuffer_frequency: 0.2,
    rendition_switches: 1.5,
    avg_bitrate: 2_400_000,
    upscale_percentage: 0.1,
    startup_histogram: [
      { le_ms: 500, count: 6 },
      { le_ms: 1000, count: 3 },
      { le_ms: '+Inf', count: 0 },
    ],
    scores: { playback_success: 95, startup: 92, smoothness: 81, video_quality: 97, overall: 88 },
  });
  vi.mocked(audience.getVideoBreakdown).mockImplementation(async (_id, dimension) => ({
    ...span,
    video_id: ID,
    dimension,
    items:
      dimension === 'surface'
        ? [
            { value: 'watch', plays: 7, views: 6, watch_time_seconds: 500 },
            { value: 'embed', plays: 3, views: 2, watch_time_seconds: 100 },
          ]
        : [{ value: 'FR', plays: 10, views: 8, watch_time_seconds: 600 }],
  }));
  vi.mocked(audience.getRealtime).mockResolvedValue({
    viewers_now: 4,
    peak_today: 9,
    at: '2026-12-05T12:00:00Z',
    videos: [{ video_id: ID, title: 'Sunrise', viewers: 2 }],
  });
}

const renderPage = (path = `/videos/${ID}/analytics`) =>
  renderWithQueryClient(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/videos/:id/analytics" element={<VideoAnalyticsPage />} />
      </Routes>
    </MemoryRouter>,
    seedMe(createTestQueryClient(), makeMe()),
  );

describe('VideoAnalyticsPage', () => {
  it('shows the KPIs against the previous period, QoE, breakdowns and live viewers', async () => {
    mockAll();
    renderPage();
    expect(await screen.findByRole('heading', { name: 'Analytics: Sunrise' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Plays' })).toHaveTextContent('10');
    expect(screen.getByRole('region', { name: 'Plays' })).toHaveTextContent('+100% vs previous period');
    expect(screen.getByRole('region', { name: 'Watch time' })).toHaveTextContent('10.0 min');
    expect(screen.getByRole('region', { name: 'Avg % viewed' })).toHaveTextContent('42.0%');
    // less is better: a faster startup is good news
    const startup = screen.getByRole('region', { name: 'Startup time (p50)' });
    expect(startup).toHaveTextContent('350 ms');
    expect(within(startup).getByText(/−50% vs previous period/)).toHaveClass('text-emerald-400');

    const qoe = await screen.findByRole('region', { name: 'Quality of experience' });
    expect(within(qoe).getByRole('meter', { name: 'Viewer experience score' })).toHaveAttribute('aria-valuenow', '88');
    expect(qoe).toHaveTextContent('2.4 Mbps');
    expect(qoe).toHaveTextContent('1.50 / play');

    expect(await screen.findByRole('status', { name: 'Live viewers' })).toHaveTextContent('2');
    const table = screen.getByRole('region', { name: 'Breakdown table' });
    await waitFor(() => expect(table).toHaveTextContent('FR'));
    fireEvent.change(screen.getByRole('combobox', { name: 'By' }), { target: { value: 'surface' } });
    await waitFor(() => expect(table).toHaveTextContent('Embedded player'));
    expect(audience.getVideoRetention).toHaveBeenCalledWith(ID, expect.anything(), expect.anything());
    expect(screen.getByRole('region', { name: 'Audience retention' })).toHaveTextContent('10 plays');
  });

  it('asks hourly for 7 days and follows the interval toggle', async () => {
    mockAll();
    vi.mocked(audience.getVideoTimeseries).mockClear();
    renderPage(`/videos/${ID}/analytics?range=7d`);
    await screen.findByRole('heading', { name: 'Analytics: Sunrise' });
    await waitFor(() =>
      expect(audience.getVideoTimeseries).toHaveBeenCalledWith(
        ID,
        'views',
        'hour',
        expect.anything(),
        expect.anything(),
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Daily' }));
    await waitFor(() =>
      expect(audience.getVideoTimeseries).toHaveBeenCalledWith(
        ID,
        'views',
        'day',
        expect.anything(),
        expect.anything(),
      ),
    );
  });

  it('says when nothing was played', async () => {
    mockAll(0);
    renderPage();
    expect(await screen.findByText('No plays in this period')).toBeInTheDocument();
  });

  it('explains a 404: not the caller’s analytics', async () => {
    mockAll();
    vi.mocked(audience.getVideoOverview).mockRejectedValue(new ApiError('no such video', { status: 404 }));
    renderPage();
    expect(await screen.findByRole('alert')).toHaveTextContent('No analytics for you here');
  });
});
