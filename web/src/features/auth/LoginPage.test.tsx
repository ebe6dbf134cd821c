import { fireEvent, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { Me } from '@/api/authTypes';
import { changePassword } from '@/api/changePassword';
import { ApiError } from '@/api/errors';
import { getMe } from '@/api/getMe';
import { login } from '@/api/login';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, makeUser, seedMe } from '@/test/session';
import { LoginPage } from './LoginPage';

vi.mock('@/api/login', () => ({ login: vi.fn() }));
vi.mock('@/api/getMe', () => ({ getMe: vi.fn() }));
vi.mock('@/api/changePassword', () => ({ changePassword: vi.fn() }));
vi.mock('@/api/logout', () => ({ logout: vi.fn() }));
vi.mock('@/api/logoutAll', () => ({ logoutAll: vi.fn() }));

function Where() {
  const { pathname, search } = useLocation();
  return <p data-testid="where">{pathname + search}</p>;
}

function renderLogin(path = '/login', me: Me | null = null) {
  return renderWithQueryClient(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );
}

function fillAndSubmit(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
}

beforeEach(() => {
  vi.mocked(login).mockReset();
  vi.mocked(getMe).mockReset().mockResolvedValue(null);
  vi.mocked(changePassword).mockReset();
});

describe('LoginPage', () => {
  it('shows the server’s reason when sign-in is refused, and keeps the form', async () => {
    vi.mocked(login).mockRejectedValue(
      new ApiError('Wrong username or password.', {
        status: 401,
        problem: {
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'Wrong username or password.',
          correlation_id: 'c1',
        },
      }),
    );
    renderLogin();
    fillAndSubmit('alice', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username or password.');
    expect(login).toHaveBeenCalledWith({ username: 'alice', password: 'nope' });
    expect(screen.getByLabelText('Username')).toHaveValue('alice');
  });

  it('says how long to wait when the server answers 429', async () => {
    vi.mocked(login).mockRejectedValue(new ApiError('Too many requests', { status: 429, retryAfterSeconds: 120 }));
    renderLogin();
    fillAndSubmit('alice', 'nope');
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts. Try again in 2 minutes.');
  });

  it('goes back where the person came from once signed in', async () => {
    const me = makeMe({ username: 'alice' });
    vi.mocked(login).mockResolvedValue({ user: me.user });
    vi.mocked(getMe).mockResolvedValue(me);
    renderLogin(`/login?next=${encodeURIComponent('/watch/abc?t=1')}`);
    fillAndSubmit(' alice ', 'secret');
    expect(await screen.findByTestId('where')).toHaveTextContent('/watch/abc?t=1');
    expect(login).toHaveBeenCalledWith({ username: 'alice', password: 'secret' });
  });

  it('never sends the person to another site', async () => {
    const me = makeMe();
    vi.mocked(login).mockResolvedValue({ user: me.user });
    vi.mocked(getMe).mockResolvedValue(me);
    renderLogin('/login?next=//evil.example/x');
    fillAndSubmit('alice', 'secret');
    expect(await screen.findByTestId('where')).toHaveTextContent(/^\/$/);
  });

  it('asks for a new password first when the account must change it', async () => {
    const user = makeUser({ must_change_password: true });
    vi.mocked(login).mockResolvedValue({ user });
    vi.mocked(getMe).mockResolvedValue({ user, via: 'session', scopes: [] });
    vi.mocked(changePassword).mockResolvedValue();
    renderLogin('/login?next=%2Fupload');
    fillAndSubmit('alice', 'generated-1');
    expect(await screen.findByRole('heading', { name: 'Change your password' })).toBeInTheDocument();
    // The password just typed is the current one: not asked again.
    expect(screen.queryByLabelText('Current password')).toBeNull();
    fireEvent.change(screen.getByLabelText('New password'), { target: { value: 'mine-now-42' } });
    fireEvent.change(screen.getByLabelText('New password again'), { target: { value: 'mine-now-4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and continue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The new passwords do not match.');
    expect(changePassword).not.toHaveBeenCalled();

    vi.mocked(getMe).mockResolvedValue({ user: { ...user, must_change_password: false }, via: 'session', scopes: [] });
    fireEvent.change(screen.getByLabelText('New password again'), { target: { value: 'mine-now-42' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set password and continue' }));
    await waitFor(() =>
      expect(changePassword).toHaveBeenCalledWith({ current_password: 'generated-1', new_password: 'mine-now-42' }),
    );
    expect(await screen.findByTestId('where')).toHaveTextContent('/upload');
  });

  it('sends a signed-in visitor straight on', async () => {
    renderLogin('/login?next=%2Fanalytics', makeMe());
    expect(await screen.findByTestId('where')).toHaveTextContent('/analytics');
  });
});
