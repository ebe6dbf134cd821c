import type { ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import { useMe } from '@/lib/useMe';
import { ForcedPasswordChange } from './ForcedPasswordChange';

/**
 * While the signed-in account must change its password (a generated or reset one), every page
 * shows that step instead (the sign-in page shows it itself, knowing the password just typed).
 */
export function PasswordChangeGate({ children }: { children: ReactNode }) {
  const { me } = useMe();
  const { pathname } = useLocation();
  if (!me?.user.must_change_password || pathname === '/login') return <>{children}</>;
  return <ForcedPasswordChange username={me.user.username} />;
}
