import { useCallback, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, Plus } from 'lucide-react';
import type { TokenInfo } from '@/api/authTypes';
import { errorMessage } from '@/api/errors';
import { queryKeys, tokensQuery } from '@/api/queries';
import { revokeToken } from '@/api/revokeToken';
import { ConfirmDialog, EmptyState, ErrorState, LoadingState, PageHeader, SignInPrompt } from '@/components';
import { cn } from '@/lib/cn';
import { formatEpoch } from '@/lib/format';
import { useMe } from '@/lib/useMe';
import { CreateTokenDialog } from './CreateTokenDialog';
import { tokenState, type TokenState } from './tokens';

const STATE_STYLES: Record<TokenState, { label: string; className: string }> = {
  active: { label: 'Active', className: 'bg-emerald-500/10 text-emerald-300 ring-emerald-500/30' },
  expired: { label: 'Expired', className: 'bg-amber-500/10 text-amber-300 ring-amber-500/30' },
  revoked: { label: 'Revoked', className: 'bg-rose-500/10 text-rose-300 ring-rose-500/30' },
};

/** /account/tokens: the user's personal API tokens; create one (shown once), revoke one. */
export function TokensPage() {
  const { me, loading, can } = useMe();
  if (loading) return <LoadingState label="Loading…" />;
  if (!me) {
    return (
      <SignInPrompt
        title="Sign in to manage API tokens"
        message="Personal API tokens let scripts act as you. Sign in to see and create yours."
      />
    );
  }
  return <Tokens allowAdminScope={can('manage_users')} />;
}

function Tokens({ allowAdminScope }: { allowAdminScope: boolean }) {
  const client = useQueryClient();
  const { data, dataUpdatedAt, error, isPending, refetch } = useQuery(tokensQuery());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<TokenInfo | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: (token: TokenInfo) => revokeToken(token.token_id),
    onMutate: () => setActionError(null),
    onSuccess: () => {
      setRevoking(null);
      void client.invalidateQueries({ queryKey: queryKeys.tokens });
    },
    onError: (e) => {
      setRevoking(null);
      setActionError(errorMessage(e));
    },
  });
  const closeCreate = useCallback(() => setCreating(false), []);
  const cancelRevoke = useCallback(() => setRevoking(null), []);

  return (
    <div>
      <PageHeader
        title="API tokens"
        subtitle={
          <>
            For scripts and tools: send a token as <code className="text-slate-300">Authorization: Bearer kin_…</code>.
            Tokens are managed here, with your session, never with another token.
          </>
        }
        actions={
          <button type="button" className="btn-primary" onClick={() => setCreating(true)}>
            <Plus aria-hidden className="h-4 w-4" /> New token
          </button>
        }
      />
      {actionError && (
        <p role="alert" className="mb-4 text-sm text-rose-300">
          {actionError}
        </p>
      )}
      {isPending ? (
        <LoadingState label="Loading your tokens…" />
      ) : error ? (
        <ErrorState title="Could not load your tokens" message={errorMessage(error)} onRetry={() => void refetch()} />
      ) : data.tokens.length === 0 ? (
        <EmptyState
          icon={<KeyRound className="h-7 w-7" />}
          title="No tokens yet"
          message="Create one for a script that uploads or reads your videos."
        />
      ) : (
        <div className="card overflow-x-auto">
          <table className="min-w-full divide-y divide-slate-800">
            <caption className="sr-only">API tokens</caption>
            <thead>
              <tr>
                <th scope="col" className="th">
                  Name
                </th>
                <th scope="col" className="th">
                  Token
                </th>
                <th scope="col" className="th">
                  Scopes
                </th>
                <th scope="col" className="th">
                  Created
                </th>
                <th scope="col" className="th">
                  Expires
                </th>
                <th scope="col" className="th">
                  Last used
                </th>
                <th scope="col" className="th">
                  State
                </th>
                <th scope="col" className="th">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-800/70">
              {data.tokens.map((t) => {
                // Expired as of when the list was fetched (render stays pure).
                const state = tokenState(t, dataUpdatedAt);
                return (
                  <tr key={t.token_id} className={cn('hover:bg-slate-800/40', state !== 'active' && 'opacity-70')}>
                    <td className="td font-medium text-white">{t.name}</td>
                    <td className="td font-mono text-xs text-slate-400">{t.hint}</td>
                    <td className="td">
                      <div className="flex flex-wrap gap-1">
                        {t.scopes.map((s) => (
                          <span key={s} className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-[11px]">
                            {s}
                          </span>
                        ))}
                      </div>
                    </td>
                    <td className="td whitespace-nowrap text-slate-400">{formatEpoch(t.created_at)}</td>
                    <td className="td whitespace-nowrap text-slate-400">
                      {t.expires_at != null ? formatEpoch(t.expires_at) : 'Never'}
                    </td>
                    <td className="td whitespace-nowrap text-slate-400">
                      {t.last_used_at != null ? formatEpoch(t.last_used_at) : 'Never used'}
                    </td>
                    <td className="td">
                      <span
                        className={cn(
                          'inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset',
                          STATE_STYLES[state].className,
                        )}
                      >
                        {STATE_STYLES[state].label}
                      </span>
                    </td>
                    <td className="td text-right">
                      {!t.revoked && (
                        <button
                          type="button"
                          className="btn-ghost px-2 py-1 text-xs text-rose-300 hover:text-rose-200"
                          onClick={() => setRevoking(t)}
                          aria-label={`Revoke ${t.name}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <CreateTokenDialog open={creating} onClose={closeCreate} allowAdminScope={allowAdminScope} />
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this token?"
        message={`"${revoking?.name ?? ''}" stops working at once for every script that uses it. This cannot be undone.`}
        confirmLabel="Revoke token"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onCancel={cancelRevoke}
      />
    </div>
  );
}
