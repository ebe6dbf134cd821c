import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '@/api/errors';
import { logout } from '@/api/logout';
import { logoutAll } from '@/api/logoutAll';
import { sessionChanged } from '@/api/queries';

/**
 * Signing out of this session, or of every session of the user. Either way the app forgets the
 * user's cached answers and goes to the library. A 401 means the session had already ended: that
 * is signed out too.
 */
export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const done = () => {
    sessionChanged(client, null);
    navigate('/', { replace: true });
  };
  const settle = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) done();
  };
  const signOut = useMutation({ mutationFn: () => logout(), onSuccess: done, onError: settle });
  const signOutEverywhere = useMutation({ mutationFn: () => logoutAll(), onSuccess: done, onError: settle });
  return { signOut, signOutEverywhere };
}
