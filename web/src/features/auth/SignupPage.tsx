import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation } from '@tanstack/react-query';
import { Loader2, UserPlus } from 'lucide-react';
import { errorMessage } from '@/api/errors';
import type { Credentials } from '@/api/authTypes';
import { signup } from '@/api/signup';
import { AuthCard } from './AuthCard';

/**
 * /signup: only where the site allows it (KINORA_SIGNUP=open or approval); otherwise the server's
 * 403 reason is shown. With approval, the account waits for an admin before it can sign in.
 */
export function SignupPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const create = useMutation({ mutationFn: (credentials: Credentials) => signup(credentials) });

  if (create.data) {
    const { user } = create.data;
    return (
      <AuthCard title="Account created" icon={<UserPlus aria-hidden className="h-5 w-5" />}>
        <p role="status" className="text-sm text-slate-300">
          {user.approved
            ? `Welcome, ${user.username}. You can sign in now.`
            : `Thanks, ${user.username}. An admin must approve your account before you can sign in.`}
        </p>
        <Link to="/login" className="btn-primary mt-6 w-full">
          Go to sign in
        </Link>
      </AuthCard>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMismatch(password !== again);
    if (password === again) create.mutate({ username: username.trim(), password });
  };

  return (
    <AuthCard title="Create an account" icon={<UserPlus aria-hidden className="h-5 w-5" />}>
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Create an account">
        <div>
          <label htmlFor="signup-username" className="label">
            Username
          </label>
          <input
            id="signup-username"
            className="input"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="signup-password" className="label">
            Password
          </label>
          <input
            id="signup-password"
            type="password"
            className="input"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="signup-again" className="label">
            Password again
          </label>
          <input
            id="signup-again"
            type="password"
            className="input"
            autoComplete="new-password"
            required
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </div>
        {(mismatch || create.isError) && (
          <p role="alert" className="text-sm text-rose-300">
            {mismatch ? 'The passwords do not match.' : errorMessage(create.error)}
          </p>
        )}
        <button type="submit" className="btn-primary w-full" disabled={create.isPending}>
          {create.isPending && <Loader2 aria-hidden className="h-4 w-4 animate-spin" />}
          Create account
        </button>
      </form>
      <p className="mt-6 text-center text-sm text-slate-400">
        Have an account?{' '}
        <Link to="/login" className="font-medium text-brand-300 hover:text-brand-100">
          Sign in
        </Link>
      </p>
    </AuthCard>
  );
}
