import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Stats, Video } from '@/api/types';
import { getStats } from '@/api/getStats';
import { getRealtime, getSiteOverview, type SiteOverview } from '@/api/audience';
import { AnalyticsPage } from './AnalyticsPage';
import type { Me } from '@/api/authTypes';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('@/api/getStats', () => ({ getStats: vi.fn() }));
vi.mock('@/api/audience', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/audience')>()),
  getSiteOverview: vi.fn(),
  getRealtime: vi.fn(),
}));

const figures = {
  plays: 40,
  views: 30,
  unique_viewers: 25,
  watch_time_seconds: 5400,
  avg_view_duration_seconds: 135,
  avg_percentage_viewed: 0.5,
  completion_rate: 0.25,
  startup_time_ms_p50: 412,
  startup_time_ms_p95: 1200,
  rebuffer_percentage: 0.0125,
  from: '2026-11-07T00:00:00Z',
  to: '2026-12-05T00:00:00Z',
};
const siteOverview: SiteOverview = {
  ...figures,
  previous: { ...figures, plays: 20, watch_time_seconds: 2700 },
  owner: null,
  top_videos: [{ video_id: 'a', title: 'Most watched', views: 30, watch_time_seconds: 5000 }],
};

beforeEach(() => {
  vi.mocked(getSiteOverview).mockResolvedValue(siteOverview);
  vi.mocked(getRealtime).mockResolvedValue({ viewers_now: 3, peak_today: 7, at: '2026-12-05T12:00:00Z', videos: [] });
});

// Recharts' ResponsiveContainer needs ResizeObserver, which jsdom lacks.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('ResizeObserver', NoopResizeObserver);

const stats: Stats = {
  total_videos: 3,
  videos_by_status: { UPLOADED: 0, PROCESSING: 1, PROCESSED: 1, FAILED: 1 },
  videos_by_format: { mp4: 2, mov: 1 },
  total_views: 1234,
  total_likes: 56,
  engagement: 56 / 1234,
  storage_bytes: 5 * 1024 * 1024 * 1024,
  total_duration_seconds: 600,
  processing_seconds: { p50: 12.5, p90: 30, p99: 44 },
  uploads_per_day: [
    { day: '2025-01-30', count: 2 },
    { day: '2025-01-31', count: 1 },
  ],
  views_per_day: [{ day: '2025-01-31', count: 1234 }],
  likes_per_day: [],
  top_videos: [
    {
      video_id: 'a',
      title: 'Most watched',
      status: 'PROCESSED',
      progress: 1,
      views: 1000,
      likes: 50,
      engagement: 0.05,
    } as Video,
  ],
  duration_histogram: [
    { min_seconds: 0, max_seconds: 30, count: 0 },
    { min_seconds: 30, max_seconds: 120, count: 2 },
    { min_seconds: 120, max_seconds: 300, count: 1 },
    { min_seconds: 300, max_seconds: 900, count: 0 },
    { min_seconds: 900, max_seconds: 3600, count: 0 },
    { min_seconds: 3600, max_seconds: null, count: 0 },
  ],
  generated_at: '2025-01-31T12:00:00Z',
  count: 0,
  sort_by: 'timestamp',
  items: [],
};

const renderPage = (me: Me | null = makeMe()) =>
  renderWithQueryClient(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AnalyticsPage />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );

describe('AnalyticsPage', () => {
  it('renders the KPIs and the top videos from /api/analytics/stats', async () => {
    vi.mocked(getStats).mockResolvedValue(stats);
    renderPage();
    expect(await screen.findByRole('region', { name: 'Videos' })).toHaveTextContent('3');
    expect(screen.getByRole('region', { name: 'Total views' })).toHaveTextContent('1,234');
    expect(screen.getByRole('region', { name: 'Likes' })).toHaveTextContent('56');
    expect(screen.getByRole('region', { name: 'Engagement rate' })).toHaveTextContent('4.5%');
    expect(screen.getByRole('region', { name: 'Storage used' })).toHaveTextContent('5.0 GB');
    expect(screen.getByRole('region', { name: 'Median processing' })).toHaveTextContent('12.5 s');
    const top = screen.getByRole('region', { name: 'Top videos' });
    expect(within(top).getByRole('link', { name: 'Most watched' })).toHaveAttribute('href', '/watch/a');
    for (const chart of ['Uploads and views per day', 'Status breakdown', 'Format distribution', 'Duration']) {
      expect(screen.getByRole('region', { name: chart })).toBeInTheDocument();
    }
    expect(within(screen.getByRole('region', { name: 'Duration' })).queryByText('No data yet')).toBeNull();
  });

  it('says when a chart has nothing to show yet', async () => {
    // What a server with no video of known duration sends: the six buckets, all empty.
    vi.mocked(getStats).mockResolvedValue({
      ...stats,
      duration_histogram: stats.duration_histogram.map((bucket) => ({ ...bucket, count: 0 })),
    });
    renderPage();
    const duration = await screen.findByRole('region', { name: 'Duration' });
    expect(within(duration).getByText('No data yet')).toBeInTheDocument();
  });

  it('offers the scopes the caller may ask for and passes the one chosen as scope=', async () => {
    vi.mocked(getStats).mockClear().mockResolvedValue(stats);
    renderPage(makeMe({ role: 'moderator' }));
    const group = await screen.findByRole('group', { name: 'Scope' });
    expect(
      within(group)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Mine', 'Public', 'All']);
    expect(within(group).getByRole('button', { name: 'Mine' })).toHaveAttribute('aria-pressed', 'true');
    expect(getStats).toHaveBeenLastCalledWith('mine', expect.anything());
    fireEvent.click(within(group).getByRole('button', { name: 'All' }));
    await waitFor(() => expect(getStats).toHaveBeenLastCalledWith('all', expect.anything()));
  });

  it('has no "All" for a user without see_any_video, and only public stats for anonymous callers', async () => {
    vi.mocked(getStats).mockClear().mockResolvedValue(stats);
    const { unmount } = renderPage(makeMe({ role: 'user' }));
    const group = await screen.findByRole('group', { name: 'Scope' });
    expect(within(group).queryByRole('button', { name: 'All' })).toBeNull();
    unmount();

    vi.mocked(getStats).mockClear();
    renderPage(null);
    expect(await screen.findByRole('region', { name: 'Videos' })).toBeInTheDocument();
    expect(screen.queryByRole('group', { name: 'Scope' })).toBeNull();
    expect(getStats).toHaveBeenCalledWith('public', expect.anything());
  });

  it('shows the audience over a range: watch time, unique viewers, QoE, top videos by watch time, CSV', async () => {
    vi.mocked(getStats).mockResolvedValue(stats);
    renderPage();
    expect(await screen.findByRole('region', { name: 'Watch time' })).toHaveTextContent('1.5 h');
    expect(screen.getByRole('region', { name: 'Watch time' })).toHaveTextContent('+100% vs previous period');
    expect(screen.getByRole('region', { name: 'Unique viewers' })).toHaveTextContent('25');
    expect(screen.getByRole('region', { name: 'Startup time (p50)' })).toHaveTextContent('412 ms');
    expect(screen.getByRole('region', { name: 'Rebuffering' })).toHaveTextContent('1.25%');
    const top = screen.getByRole('region', { name: 'Top videos by watch time' });
    expect(within(top).getByRole('link', { name: 'Details' })).toHaveAttribute('href', '/videos/a/analytics');
    expect(await screen.findByRole('status', { name: 'Watching now' })).toHaveTextContent('3');
    const csv = screen.getByRole('link', { name: 'Download CSV' });
    expect(csv.getAttribute('href')).toMatch(/^\/api\/analytics\/sessions\/export\?format=csv&from=.+&to=.+/);
    const [range] = vi.mocked(getSiteOverview).mock.calls[0];
    expect(Date.parse(range!.to) - Date.parse(range!.from)).toBe(28 * 86_400_000);
    fireEvent.click(within(screen.getByRole('group', { name: 'Date range' })).getByRole('button', { name: '7 days' }));
    await waitFor(() => {
      const [r] = vi.mocked(getSiteOverview).mock.lastCall!;
      expect(Date.parse(r!.to) - Date.parse(r!.from)).toBe(7 * 86_400_000);
    });
  });
});
