// Who may do what, as the web app decides which controls to show. The server checks every request
// again; this only keeps people from being offered what would be refused. Pure functions.

import type { Me, Right, StatsScope, VideoAccess } from '@/api/authTypes';

export function hasRight(me: Me | null | undefined, right: Right): boolean {
  return Boolean(me?.user.rights.includes(right));
}

/**
 * Whether the caller may edit and delete a video: the server's `can_edit` when the document has it
 * (details), else the owner with edit_own_videos or anyone with edit_any_video (list items).
 */
export function canEditVideo(me: Me | null | undefined, access: VideoAccess): boolean {
  if (!me) return false;
  if (access.can_edit !== undefined) return access.can_edit;
  if (hasRight(me, 'edit_any_video')) return true;
  return access.owner_id !== null && access.owner_id === me.user.user_id && hasRight(me, 'edit_own_videos');
}

/** The stats scopes the caller may ask for, the default first. */
export function statsScopes(me: Me | null | undefined): StatsScope[] {
  if (!me) return ['public'];
  return hasRight(me, 'see_any_video') ? ['mine', 'public', 'all'] : ['mine', 'public'];
}

/** The scope to show: the one asked for when allowed, else the caller's default. */
export function resolveStatsScope(requested: string | null | undefined, me: Me | null | undefined): StatsScope {
  const allowed = statsScopes(me);
  return (allowed as string[]).includes(requested ?? '') ? (requested as StatsScope) : allowed[0];
}

/**
 * Where to go after signing in: `next` when it is a path of this app ("/watch/1?t=3"), else the
 * library. Refuses other origins ("//evil", "https://…", "/\\evil") and the sign-in page itself.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?') || next.startsWith('/login#')) return '/';
  return next;
}

/** The sign-in page, coming back to `from` (a path with its query) afterwards. */
export function signInPath(from?: string): string {
  const next = safeNext(from);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
