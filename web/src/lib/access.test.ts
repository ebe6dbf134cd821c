import { videoAccess, type VideoAccess } from '@/api/authTypes';
import type { Video } from '@/api/types';
import { makeMe } from '@/test/session';
import { canEditVideo, hasRight, resolveStatsScope, safeNext, signInPath, statsScopes } from './access';

const item = (patch: Partial<VideoAccess>): VideoAccess => ({ owner_id: null, visibility: 'public', ...patch });

describe('canEditVideo', () => {
  const alice = makeMe({ username: 'alice', user_id: 'u-alice' });
  const moderator = makeMe({ username: 'mo', user_id: 'u-mo', role: 'moderator' });

  it('follows the server’s can_edit when the document has it', () => {
    expect(canEditVideo(alice, item({ owner_id: 'u-alice', can_edit: false }))).toBe(false);
    expect(canEditVideo(alice, item({ owner_id: 'u-bob', can_edit: true }))).toBe(true);
  });
  it('for list items: the owner with edit_own_videos, or anyone with edit_any_video', () => {
    expect(canEditVideo(alice, item({ owner_id: 'u-alice' }))).toBe(true);
    expect(canEditVideo(alice, item({ owner_id: 'u-bob' }))).toBe(false);
    expect(canEditVideo(alice, item({ owner_id: null }))).toBe(false);
    expect(canEditVideo(moderator, item({ owner_id: 'u-bob' }))).toBe(true);
    const noOwnEdits = makeMe({ user_id: 'u-alice', rights: ['upload'] });
    expect(canEditVideo(noOwnEdits, item({ owner_id: 'u-alice' }))).toBe(false);
  });
  it('never for an anonymous caller', () => {
    expect(canEditVideo(null, item({ owner_id: 'u-alice', can_edit: true }))).toBe(false);
  });
});

describe('videoAccess', () => {
  it('reads the access fields defensively', () => {
    const v = { owner_id: 'u1', visibility: 'private', can_edit: true, liked: false } as unknown as Video;
    expect(videoAccess(v)).toEqual({ owner_id: 'u1', visibility: 'private', can_edit: true, liked: false });
    const old = { visibility: 'secret', owner_id: '' } as unknown as Video;
    expect(videoAccess(old)).toEqual({ owner_id: null, visibility: null, can_edit: undefined, liked: undefined });
  });
});

describe('stats scopes', () => {
  it('offers public to anonymous callers, mine first to users, all to those who see any video', () => {
    expect(statsScopes(null)).toEqual(['public']);
    expect(statsScopes(makeMe())).toEqual(['mine', 'public']);
    expect(statsScopes(makeMe({ role: 'moderator' }))).toEqual(['mine', 'public', 'all']);
  });
  it('falls back to the default for a scope the caller may not ask for', () => {
    expect(resolveStatsScope('all', makeMe())).toBe('mine');
    expect(resolveStatsScope('all', makeMe({ role: 'admin' }))).toBe('all');
    expect(resolveStatsScope('mine', null)).toBe('public');
    expect(resolveStatsScope(null, makeMe())).toBe('mine');
  });
  it('reads rights, not roles', () => {
    expect(hasRight(makeMe({ role: 'admin', rights: [] }), 'manage_users')).toBe(false);
    expect(hasRight(undefined, 'upload')).toBe(false);
  });
});

describe('where to go after signing in', () => {
  it('keeps paths of this app, with their query', () => {
    expect(safeNext('/watch/1?t=3')).toBe('/watch/1?t=3');
    expect(signInPath('/upload')).toBe('/login?next=%2Fupload');
    expect(signInPath('/')).toBe('/login');
  });
  it('refuses other origins and the sign-in page itself', () => {
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '']) {
      expect(safeNext(bad)).toBe('/');
    }
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
