import { FLAG_CODES, flagDetails, flagLabel, isWarningFlag } from './flags';

describe('flag labels', () => {
  it('names every code of the contract', () => {
    expect(FLAG_CODES).toHaveLength(10);
    for (const code of FLAG_CODES) expect(flagLabel(code)).not.toContain('_');
    expect(flagLabel('too_quiet')).toBe('Too quiet');
    expect(flagLabel('black_start')).toBe('Black at start');
    expect(flagLabel('poor_rung')).toBe('Poor encode');
  });
  it('spells out unknown codes', () => {
    expect(flagLabel('new_kind_of-flag')).toBe('New kind of flag');
    expect(flagLabel('')).toBe('Unknown flag');
  });
  it('treats no_audio as information, the rest as warnings', () => {
    expect(isWarningFlag('no_audio')).toBe(false);
    expect(isWarningFlag('clipping')).toBe(true);
  });
});

describe('flagDetails', () => {
  const detail = { code: 'black_start', severity: 'warning', start: 0, end: 2, message: 'starts with 2.0 s of black' };
  it('prefers the API’s flag_details', () => {
    expect(flagDetails({ flags: ['starts with 2.0 s of black'], flag_details: [detail] })).toEqual([detail]);
  });
  it('reads messages (API) and details (analysis.json) from flags', () => {
    expect(flagDetails({ flags: ['no audio track', ''] })).toEqual([
      { code: '', severity: 'warning', message: 'no audio track' },
    ]);
    expect(flagDetails({ flags: [detail] })).toEqual([detail]);
    expect(flagDetails({ flags: [null as unknown as string] })).toEqual([]);
  });
});
