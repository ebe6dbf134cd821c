import type { Video } from '@/api/types';
import { needsLiveRefresh } from './useVideoLibrary';

const v = (status: Video['status']) => ({ status }) as Video;

describe('needsLiveRefresh', () => {
  it('is on while anything is uploaded or processing', () => {
    expect(needsLiveRefresh([v('PROCESSED'), v('PROCESSING')])).toBe(true);
    expect(needsLiveRefresh([v('UPLOADED')])).toBe(true);
  });
  it('is off when everything has settled', () => {
    expect(needsLiveRefresh([v('PROCESSED'), v('FAILED')])).toBe(false);
    expect(needsLiveRefresh([])).toBe(false);
  });
});
