import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { LogIn } from 'lucide-react';
import { signInPath } from '@/lib/access';
import { EmptyState } from './States';

/**
 * In place of something the caller may not do: a way to sign in (coming back here afterwards) for
 * an anonymous caller, or the reason for a signed-in one whose role lacks the right.
 */
export function SignInPrompt({
  title,
  message,
  signedIn = false,
  icon,
}: {
  title: string;
  message: ReactNode;
  signedIn?: boolean;
  icon?: ReactNode;
}) {
  const { pathname, search } = useLocation();
  return (
    <EmptyState
      icon={icon ?? <LogIn className="h-7 w-7" />}
      title={title}
      message={message}
      action={
        signedIn ? undefined : (
          <Link to={signInPath(pathname + search)} className="btn-primary">
            <LogIn aria-hidden className="h-4 w-4" /> Sign in
          </Link>
        )
      }
    />
  );
}
