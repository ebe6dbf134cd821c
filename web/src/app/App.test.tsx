import { screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { App } from './App';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('@/api/listVideos', () => ({ listVideos: vi.fn(() => new Promise(() => {})) }));

const renderAt = (path: string, me = makeMe()) =>
  renderWithQueryClient(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <App />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );

describe('App routes', () => {
  it('shows a 404 page with a way back for unknown paths', () => {
    renderAt('/no/such/page');
    expect(screen.getByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to the library' })).toHaveAttribute('href', '/');
  });
  it('has labelled navigation with the current page marked', () => {
    renderAt('/upload');
    const nav = screen.getAllByRole('navigation', { name: 'Main' })[0];
    expect(nav).toHaveTextContent('Library');
    expect(screen.getAllByRole('link', { name: 'Upload' })[0]).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('heading', { name: 'Upload' })).toBeInTheDocument();
  });
});
