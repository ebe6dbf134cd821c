// HAND-WRITTEN types for the accounts API (docs/auth.md), which ../api/openapi.json does not
// describe yet. Everything else in src/api is typed from schema.gen.ts; once the OpenAPI document
// has these endpoints and fields, regenerate (`npm run api:generate`), point the names below at
// the generated schemas (as types.ts does) and empty HAND_PATHS, and let tsc show what moved.

import type { Video } from './types';

/** Paths of docs/auth.md not yet in the generated `paths`; apiPath() accepts them too. */
export type HandPath =
  | '/api/auth/login'
  | '/api/auth/logout'
  | '/api/auth/logout-all'
  | '/api/auth/me'
  | '/api/auth/password'
  | '/api/auth/signup'
  | '/api/auth/tokens'
  | '/api/auth/tokens/{token_id}'
  | '/api/admin/users'
  | '/api/admin/users/{user_id}'
  | '/api/admin/users/{user_id}/reset-password'
  | '/api/uploads/config'
  | '/api/uploads/{upload_id}';

export type Role = 'user' | 'moderator' | 'admin';
export const ROLES: readonly Role[] = ['user', 'moderator', 'admin'];

export type Right =
  'upload' | 'like' | 'edit_own_videos' | 'edit_any_video' | 'see_any_video' | 'manage_users' | 'manage_settings';

export type Scope = 'videos:read' | 'videos:write' | 'analytics:read' | 'admin';
export const SCOPES: readonly Scope[] = ['videos:read', 'videos:write', 'analytics:read', 'admin'];

export type Visibility = 'public' | 'unlisted' | 'internal' | 'private';
/** In the order the upload form offers them; `public` is the default. */
export const VISIBILITIES: readonly Visibility[] = ['public', 'unlisted', 'internal', 'private'];

export function isVisibility(value: unknown): value is Visibility {
  return typeof value === 'string' && (VISIBILITIES as readonly string[]).includes(value);
}

/** Epoch seconds (docs/auth.md: `created_at` in integer epoch seconds). */
export type EpochSeconds = number;

export interface User {
  user_id: string;
  username: string;
  role: Role;
  disabled: boolean;
  /** False while a sign-up waits for an admin's approval. */
  approved: boolean;
  must_change_password: boolean;
  quota_bytes: number | null;
  daily_quota_bytes: number | null;
  used_bytes: number;
  created_at: EpochSeconds;
  rights: Right[];
}

/** GET /api/auth/me → 200. (401 when anonymous; the app maps that to `null`.) */
export interface Me {
  user: User;
  via: 'session' | 'token';
  scopes: Scope[];
}

export interface Credentials {
  username: string;
  password: string;
}

/** POST /api/auth/login → 200; POST /api/auth/signup → 201. */
export interface UserAnswer {
  user: User;
}

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

/**
 * A personal API token as listed. The docs do not say how the times are written; formatEpoch()
 * (lib/format) takes epoch seconds, epoch milliseconds or ISO 8601 alike.
 */
export interface TokenInfo {
  token_id: string;
  name: string;
  /** e.g. `kin_Ab3d…wxyz` */
  hint: string;
  scopes: Scope[];
  created_at: EpochSeconds | string;
  expires_at: EpochSeconds | string | null;
  last_used_at: EpochSeconds | string | null;
  revoked: boolean;
}

export interface TokenList {
  tokens: TokenInfo[];
}

export interface NewToken {
  name: string;
  scopes: Scope[];
  /** 1–365, or null for a token that does not expire. */
  expires_in_days: number | null;
}

/** POST /api/auth/tokens → 201: the secret, shown once. */
export interface CreatedToken {
  token: string;
  token_id: string;
  name: string;
  hint: string;
  scopes: Scope[];
  created_at: EpochSeconds | string;
  expires_at: EpochSeconds | string | null;
}

export interface UserList {
  users: User[];
}

export interface NewUser {
  username: string;
  /** Omitted: the server generates one (returned once, to be changed at first sign-in). */
  password?: string;
  role: Role;
  quota_bytes?: number | null;
  daily_quota_bytes?: number | null;
}

/** POST /api/admin/users → 201. */
export interface CreatedUser {
  user: User;
  /** Only when the server generated it. */
  password?: string;
}

export interface UserChange {
  role?: Role;
  disabled?: boolean;
  approved?: boolean;
  quota_bytes?: number | null;
  daily_quota_bytes?: number | null;
}

/** POST /api/admin/users/{user_id}/reset-password → 200. */
export interface GeneratedPassword {
  password: string;
}

/** PATCH /api/uploader/videos/{video_id}: each field only when set. */
export interface VideoEdit {
  title?: string;
  description?: string;
  visibility?: Visibility;
}

/** POST / DELETE /api/analytics/like/{video_id} → 200. */
export interface LikeAnswer {
  status?: string;
  video_id: string;
  likes: number;
  liked: boolean;
}

/** GET /api/analytics/stats?scope= */
export type StatsScope = 'public' | 'mine' | 'all';

/** GET /api/analytics/videos: the query parameters the generated type lacks. */
export interface ListVideosAccessParams {
  /** Only the caller's own videos (401 anonymous). */
  mine?: boolean;
}

/** The per-caller fields of a video document (docs/auth.md), read defensively. */
export interface VideoAccess {
  owner_id: string | null;
  visibility: Visibility | null;
  /** Only on details (GET /api/analytics/video/{id}); undefined on list items. */
  can_edit?: boolean;
  /** Only on details. */
  liked?: boolean;
}

/** The access fields of a video, whatever the server sent (missing or malformed → null/undefined). */
export function videoAccess(video: Video): VideoAccess {
  const v = video as Record<string, unknown>;
  return {
    owner_id: typeof v.owner_id === 'string' && v.owner_id !== '' ? v.owner_id : null,
    visibility: isVisibility(v.visibility) ? v.visibility : null,
    can_edit: typeof v.can_edit === 'boolean' ? v.can_edit : undefined,
    liked: typeof v.liked === 'boolean' ? v.liked : undefined,
  };
}
