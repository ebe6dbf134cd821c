// @vitest-environment node
// Runs every API module against a real Kinora server when KINORA_API_URL is set, e.g.
//   KINORA_API_URL=http://127.0.0.1:18123 npx vitest run src/api/live.test.ts
// Skipped otherwise, so `npm test` needs no server. With accounts, uploads need a user: pass a
// personal API token with videos:read and videos:write as KINORA_API_TOKEN
// (`kinora tokens create admin --name live-test --scope videos:read --scope videos:write`).
import { readFileSync } from 'node:fs';
import { api } from './client';
import { ApiError } from './errors';
import { deleteVideo } from './deleteVideo';
import { getStats } from './getStats';
import { getVideo } from './getVideo';
import { listVideos } from './listVideos';
import { likeVideo } from './likeVideo';
import { recordView } from './recordView';
import { uploadVideo } from './uploadVideo';

const base = process.env.KINORA_API_URL;
const sample = process.env.KINORA_SAMPLE_VIDEO; // path to a small playable video
const token = process.env.KINORA_API_TOKEN;

describe.skipIf(!base)('API modules against a live server', () => {
  beforeAll(() => {
    api.defaults.baseURL = base;
    if (token) api.defaults.headers.common.Authorization = `Bearer ${token}`;
  });

  it('maps a 404 problem document to its detail', async () => {
    const err = (await getVideo('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/not found/i);
    expect(err.correlationId).toBeTruthy();
  });

  it('rejects a non-video name with the server reason', async () => {
    const err = (await uploadVideo(new File(['hello'], 'notes.txt')).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBeGreaterThanOrEqual(400);
    expect(err.message).not.toMatch(/network error/i);
  });

  it.skipIf(!sample)('uploads, lists, counts, reads stats and deletes', async () => {
    const bytes = readFileSync(sample!);
    const seen: number[] = [];
    const res = await uploadVideo(new File([bytes], 'live-test.mp4', { type: 'video/mp4' }), {
      title: 'live test',
      onProgress: (loaded) => seen.push(loaded),
    });
    expect(res.status).toBe('success');
    const id = res.video_id;
    try {
      const list = await listVideos({ q: 'live test', limit: 5, sort_by: 'timestamp', order: 'desc' });
      expect(list.videos.map((v) => v.video_id)).toContain(id);
      expect(typeof list.total).toBe('number');
      expect((await recordView(id)).views).toBeGreaterThanOrEqual(1);
      expect((await likeVideo(id)).likes).toBeGreaterThanOrEqual(1);
      const stats = await getStats();
      expect(stats.total_videos).toBeGreaterThanOrEqual(1);
      expect(stats.videos_by_status).toHaveProperty('PROCESSED');
      const video = await getVideo(id);
      expect(video.likes).toBeGreaterThanOrEqual(1);
    } finally {
      expect((await deleteVideo(id)).status).toBe('success');
    }
    const gone = (await getVideo(id).catch((e: unknown) => e)) as ApiError;
    expect(gone.status).toBe(404);
  });
});
