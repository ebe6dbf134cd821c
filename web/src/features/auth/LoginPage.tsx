import { useState, type FormEvent } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router-dom';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2, LogIn } from 'lucide-react';
import type { Credentials } from '@/api/authTypes';
import { login } from '@/api/login';
import { sessionChanged } from '@/api/queries';
import { LoadingState } from '@/components';
import { safeNext } from '@/lib/access';
import { useMe } from '@/lib/useMe';
import { AuthCard as Card } from './AuthCard';
import { ForcedPasswordChange } from './ForcedPasswordChange';
import { signInErrorMessage } from './signInError';

/**
 * /login?next=/where/from: username and password; the server's reason when refused (how long to
 * wait after too many tries); a forced new password when the account must change it; then back to
 * `next`.
 */
export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const client = useQueryClient();
  const { me, loading } = useMe();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The password just typed, kept only while the forced change asks for a new one.
  const [justUsed, setJustUsed] = useState<string | undefined>(undefined);

  const signIn = useMutation({
    mutationFn: (credentials: Credentials) => login(credentials),
    onSuccess: ({ user }, credentials) => {
      if (user.must_change_password) setJustUsed(credentials.password);
      setPassword('');
      sessionChanged(client, { user, via: 'session', scopes: [] });
    },
  });

  if (loading) return <LoadingState label="Checking your session…" />;
  if (me && !me.user.must_change_password) return <Navigate to={next} replace />;

  if (me) {
    return (
      <ForcedPasswordChange
        username={me.user.username}
        currentPassword={justUsed}
        onDone={() => setJustUsed(undefined)}
      />
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate({ username: username.trim(), password });
  };

  return (
    <Card title="Sign in to Kinora" icon={<LogIn aria-hidden className="h-5 w-5" />}>
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Sign in">
        <div>
          <label htmlFor="login-username" className="label">
            Username
          </label>
          <input
            id="login-username"
            className="input"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="login-password" className="label">
            Password
          </label>
          <input
            id="login-password"
            type="password"
            className="input"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {signIn.isError && (
          <p
            role="alert"
            className="rounded-lg bg-rose-500/10 p-3 text-sm text-rose-200 ring-1 ring-inset ring-rose-500/30"
          >
            {signInErrorMessage(signIn.error)}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={signIn.isPending}>
          {signIn.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
          Sign in
        </button>
      </form>
      <p className="mt-6 text-center text-sm text-slate-400">
        No account?{' '}
        <Link to="/signup" className="font-medium text-brand-300 hover:text-brand-100">
          Create one
        </Link>{' '}
        if this site allows it, or ask an admin.
      </p>
    </Card>
  );
}
