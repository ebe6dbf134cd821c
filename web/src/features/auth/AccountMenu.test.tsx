import { fireEvent, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import type { Me } from '@/api/authTypes';
import { logout } from '@/api/logout';
import { queryKeys } from '@/api/queries';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';
import { AccountMenu } from './AccountMenu';

vi.mock('@/api/logout', () => ({ logout: vi.fn() }));
vi.mock('@/api/logoutAll', () => ({ logoutAll: vi.fn() }));

function renderMenu(me: Me | null, path = '/upload') {
  return renderWithQueryClient(
    <MemoryRouter initialEntries={[path]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AccountMenu />
    </MemoryRouter>,
    seedMe(createTestQueryClient(), me),
  );
}

describe('AccountMenu', () => {
  it('offers an anonymous visitor a way to sign in and come back', () => {
    renderMenu(null, '/upload');
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login?next=%2Fupload');
  });

  it('shows the username and role, and no Admin link without manage_users', () => {
    renderMenu(makeMe({ username: 'alice', role: 'user' }));
    fireEvent.click(screen.getByRole('button', { name: 'Account: alice (user)' }));
    expect(screen.getByRole('link', { name: 'Account' })).toHaveAttribute('href', '/account');
    expect(screen.getByRole('link', { name: 'API tokens' })).toHaveAttribute('href', '/account/tokens');
    expect(screen.queryByRole('link', { name: /Admin/ })).toBeNull();
  });

  it('shows the Admin link to those who manage users', () => {
    renderMenu(makeMe({ username: 'root', role: 'admin' }));
    fireEvent.click(screen.getByRole('button', { name: 'Account: root (admin)' }));
    expect(screen.getByRole('link', { name: /Admin/ })).toHaveAttribute('href', '/admin/users');
  });

  it('signs out and forgets the user', async () => {
    vi.mocked(logout).mockResolvedValue();
    const { queryClient } = renderMenu(makeMe({ username: 'alice' }));
    fireEvent.click(screen.getByRole('button', { name: 'Account: alice (user)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('link', { name: 'Sign in' })).toBeInTheDocument();
    expect(logout).toHaveBeenCalledTimes(1);
    expect(queryClient.getQueryData(queryKeys.me)).toBeNull();
  });
});
