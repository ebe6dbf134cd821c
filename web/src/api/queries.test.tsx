import { screen, waitFor } from '@testing-library/react';
import { useQuery } from '@tanstack/react-query';
import type { Me } from './authTypes';
import { getMe } from './getMe';
import { meQuery, queryKeys, sessionChanged } from './queries';
import { createTestQueryClient, renderWithQueryClient } from '@/test/render';
import { makeMe, seedMe } from '@/test/session';

vi.mock('./getMe', () => ({ getMe: vi.fn() }));

/** A page that lists something while anyone may, and the tokens only while signed in. */
function Page({ list, tokens }: { list: () => Promise<string>; tokens: () => Promise<string> }) {
  const me = useQuery(meQuery()).data ?? null;
  const listed = useQuery({ queryKey: ['videos', 'x'], queryFn: list });
  return (
    <>
      <p>{`${me?.user.username ?? 'anonymous'}: ${listed.data ?? '…'}`}</p>
      {me && <Tokens tokens={tokens} />}
    </>
  );
}
function Tokens({ tokens }: { tokens: () => Promise<string> }) {
  const { data } = useQuery({ queryKey: queryKeys.tokens, queryFn: tokens });
  return <p>{`tokens: ${data ?? '…'}`}</p>;
}

describe('sessionChanged', () => {
  it('on sign-out forgets the user, refetches what is still shown as anonymous, and asks nothing that needs a session', async () => {
    let asked = 0;
    const list = vi.fn(async () => `list #${++asked}`);
    const tokens = vi.fn(async () => 'two');
    const client = seedMe(createTestQueryClient(), makeMe({ username: 'alice' }));
    renderWithQueryClient(<Page list={list} tokens={tokens} />, client);
    expect(await screen.findByText('alice: list #1')).toBeInTheDocument();
    expect(await screen.findByText('tokens: two')).toBeInTheDocument();

    sessionChanged(client, null);
    expect(await screen.findByText('anonymous: list #2')).toBeInTheDocument();
    expect(tokens).toHaveBeenCalledTimes(1);
    expect(client.getQueryData(queryKeys.tokens)).toBeUndefined();
  });

  it('on sign-in sets the user at once and asks /me for the rest', async () => {
    const me: Me = makeMe({ username: 'bob' });
    vi.mocked(getMe).mockResolvedValue({ ...me, scopes: ['videos:read'] });
    const client = seedMe(createTestQueryClient(), null);
    sessionChanged(client, { ...me, scopes: [] });
    expect(client.getQueryData<Me>(queryKeys.me)?.user.username).toBe('bob');
    expect(client.getQueryState(queryKeys.me)?.isInvalidated).toBe(true);
    await client.fetchQuery(meQuery());
    await waitFor(() => expect(client.getQueryData<Me>(queryKeys.me)?.scopes).toEqual(['videos:read']));
  });
});
