export * from './types';
export * from './authTypes';
export {
  ApiError,
  apiErrorFromResponse,
  errorMessage,
  parseRetryAfter,
  toApiError,
  UNREACHABLE_MESSAGE,
} from './errors';
export { api, apiPath, createApiClient, newCorrelationId, REQUEST_MARKER_HEADER } from './client';
export { uploadVideo } from './uploadVideo';
export { listVideos } from './listVideos';
export { getVideo } from './getVideo';
export { getStats } from './getStats';
export { recordView } from './recordView';
export { likeVideo } from './likeVideo';
export { unlikeVideo } from './unlikeVideo';
export { deleteVideo } from './deleteVideo';
export { updateVideo } from './updateVideo';
export { login } from './login';
export { logout } from './logout';
export { logoutAll } from './logoutAll';
export { getMe } from './getMe';
export { changePassword } from './changePassword';
export { signup } from './signup';
export { listTokens } from './listTokens';
export { createToken } from './createToken';
export { revokeToken } from './revokeToken';
export { adminListUsers } from './adminListUsers';
export { adminCreateUser } from './adminCreateUser';
export { adminUpdateUser } from './adminUpdateUser';
export { adminResetPassword } from './adminResetPassword';
export { getUploadsConfig } from './getUploadsConfig';
export { getUploadState, uploadIdFromUrl } from './getUploadState';
export type { UploadsConfig, UploadState } from './uploadsTypes';
