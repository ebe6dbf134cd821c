import { Link } from 'react-router-dom';
import { KeyRound, LogOut, MonitorSmartphone } from 'lucide-react';
import { errorMessage } from '@/api/errors';
import { LoadingState, PageHeader, ProgressBar, RoleBadge, SignInPrompt } from '@/components';
import { formatBytes, formatEpoch } from '@/lib/format';
import { useMe } from '@/lib/useMe';
import { ChangePasswordForm } from './ChangePasswordForm';
import { useSignOut } from './useSignOut';

/** /account: who you are, your storage, your password, and signing out here or everywhere. */
export function AccountPage() {
  const { me, loading } = useMe();
  const { signOut, signOutEverywhere } = useSignOut();
  if (loading) return <LoadingState label="Loading your account…" />;
  if (!me) return <SignInPrompt title="Sign in to see your account" message="Your account page needs you signed in." />;
  const { user } = me;
  const quota = user.quota_bytes;

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Account"
        subtitle={
          <span className="inline-flex items-center gap-2">
            {user.username} <RoleBadge role={user.role} />
          </span>
        }
        actions={
          <Link to="/account/tokens" className="btn-secondary">
            <KeyRound aria-hidden className="h-4 w-4" /> API tokens
          </Link>
        }
      />
      <div className="grid gap-6">
        <section className="card p-5" aria-labelledby="account-profile">
          <h2 id="account-profile" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
            Profile
          </h2>
          <dl className="mt-3 grid gap-3 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-slate-400">Username</dt>
              <dd className="text-slate-100">{user.username}</dd>
            </div>
            <div>
              <dt className="text-slate-400">Member since</dt>
              <dd className="text-slate-100">{formatEpoch(user.created_at)}</dd>
            </div>
            <div>
              <dt className="text-slate-400">Daily upload limit</dt>
              <dd className="text-slate-100">
                {user.daily_quota_bytes != null ? formatBytes(user.daily_quota_bytes) : 'No limit'}
              </dd>
            </div>
          </dl>
          <div className="mt-4">
            <div className="mb-1 flex justify-between text-sm">
              <span className="text-slate-400">Storage used</span>
              <span className="tabular-nums text-slate-200">
                {formatBytes(user.used_bytes)} {quota != null ? `of ${formatBytes(quota)}` : '(no limit)'}
              </span>
            </div>
            {quota != null && quota > 0 && (
              <ProgressBar
                value={user.used_bytes / quota}
                label="Storage used"
                tone={user.used_bytes / quota > 0.9 ? 'rose' : 'brand'}
              />
            )}
          </div>
        </section>

        <section className="card p-5" aria-labelledby="account-password">
          <h2 id="account-password" className="mb-4 text-sm font-semibold uppercase tracking-wide text-slate-400">
            Change password
          </h2>
          <div className="max-w-sm">
            <ChangePasswordForm />
          </div>
        </section>

        <section className="card p-5" aria-labelledby="account-sessions">
          <h2 id="account-sessions" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
            Sessions
          </h2>
          <p className="mt-2 text-sm text-slate-400">
            Signing out everywhere ends every session of your account, on every device and browser. Your API tokens keep
            working; revoke them on the tokens page.
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <button
              type="button"
              className="btn-secondary"
              disabled={signOut.isPending}
              onClick={() => signOut.mutate()}
            >
              <LogOut aria-hidden className="h-4 w-4" /> Sign out
            </button>
            <button
              type="button"
              className="btn-secondary text-rose-300 hover:text-rose-200"
              disabled={signOutEverywhere.isPending}
              onClick={() => signOutEverywhere.mutate()}
            >
              <MonitorSmartphone aria-hidden className="h-4 w-4" /> Sign out everywhere
            </button>
          </div>
          {(signOut.isError || signOutEverywhere.isError) && (
            <p role="alert" className="mt-3 text-sm text-rose-300">
              {errorMessage(signOut.error ?? signOutEverywhere.error)}
            </p>
          )}
        </section>
      </div>
    </div>
  );
}
