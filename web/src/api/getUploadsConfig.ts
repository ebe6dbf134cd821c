import { api, apiPath } from './client';
import type { UploadsConfig } from './uploadsTypes';

/** GET /api/uploads/config — the tus endpoint, sizes, and whether direct-to-S3 is offered. */
export async function getUploadsConfig(signal?: AbortSignal): Promise<UploadsConfig> {
  const res = await api.get<UploadsConfig>(apiPath('/api/uploads/config'), { signal });
  return res.data;
}
