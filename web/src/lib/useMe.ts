import { useQuery } from '@tanstack/react-query';
import type { Me, Right } from '@/api/authTypes';
import { meQuery } from '@/api/queries';
import { hasRight } from './access';

export interface Session {
  /** The signed-in caller, or null (anonymous, or not known yet). */
  me: Me | null;
  /** True until the first answer of /api/auth/me (signed in or not) has come. */
  loading: boolean;
  signedIn: boolean;
  can: (right: Right) => boolean;
}

/**
 * Who is signed in, from the ['me'] query (GET /api/auth/me). A 401 there means anonymous, not an
 * error; any other failure is treated as anonymous too (the pages that need a user say so).
 */
export function useMe(): Session {
  const { data, isPending } = useQuery(meQuery());
  const me = data ?? null;
  return { me, loading: isPending, signedIn: me !== null, can: (right) => hasRight(me, right) };
}
