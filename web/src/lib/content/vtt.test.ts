import { MAX_CUES, parseStoryboardVtt, parseTimestamp, spriteUrls, tileAt } from './vtt';

const BASE = 'http://kinora.test/media/processed/v1/storyboard/storyboard.vtt?expires=1&signature=ab';

describe('parseTimestamp', () => {
  it('reads hours, minutes, seconds and milliseconds', () => {
    expect(parseTimestamp('00:00:01.500')).toBe(1.5);
    expect(parseTimestamp('01:02:03.004')).toBe(3723.004);
    expect(parseTimestamp('02:03.5')).toBe(123.5);
    expect(parseTimestamp(' 00:10.000 ')).toBe(10);
  });
  it('refuses what is not a timestamp', () => {
    for (const bad of ['', '1.5', '00:60.000', 'aa:bb.ccc', '00:00:01', '00:00:01.5000']) {
      expect(parseTimestamp(bad)).toBeNull();
    }
  });
});

describe('parseStoryboardVtt', () => {
  it('reads relative sprite URLs against the VTT and the tile geometry', () => {
    const text = [
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:01.000',
      'sprite_000.jpg#xywh=0,0,160,90',
      '',
      '00:00:01.000 --> 00:00:02.000',
      'sprite_000.jpg#xywh=160,0,160,90',
    ].join('\n');
    const tiles = parseStoryboardVtt(text, BASE);
    expect(tiles).toEqual([
      {
        start: 0,
        end: 1,
        url: 'http://kinora.test/media/processed/v1/storyboard/sprite_000.jpg',
        x: 0,
        y: 0,
        w: 160,
        h: 90,
      },
      {
        start: 1,
        end: 2,
        url: 'http://kinora.test/media/processed/v1/storyboard/sprite_000.jpg',
        x: 160,
        y: 0,
        w: 160,
        h: 90,
      },
    ]);
  });

  it('keeps the signature of absolute-path URLs, with identifiers, CRLF, a BOM, NOTEs and cue settings', () => {
    const text =
      '\uFEFFWEBVTT - storyboard\r\n\r\nNOTE made by kinora\r\n\r\n1\r\n' +
      '00:00:05.000 --> 00:00:10.000 align:start\r\n' +
      '/media/processed/v1/storyboard/sprite_001.jpg?expires=99&signature=x_y-z#xywh=pixel:320,90,160,90\r\n';
    const [tile] = parseStoryboardVtt(text, BASE);
    expect(tile).toEqual({
      start: 5,
      end: 10,
      url: 'http://kinora.test/media/processed/v1/storyboard/sprite_001.jpg?expires=99&signature=x_y-z',
      x: 320,
      y: 90,
      w: 160,
      h: 90,
    });
  });

  it('returns nothing for text that is not WebVTT', () => {
    expect(parseStoryboardVtt('', BASE)).toEqual([]);
    expect(parseStoryboardVtt('<html>403 Forbidden</html>', BASE)).toEqual([]);
    expect(parseStoryboardVtt('WEBVTTX\n\n00:00.000 --> 00:01.000\na.jpg#xywh=0,0,1,1', BASE)).toEqual([]);
  });

  it('skips malformed cues and keeps the good ones', () => {
    const text = [
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:01.000',
      'no-fragment.jpg',
      '',
      'garbage --> 00:00:02.000',
      'a.jpg#xywh=0,0,160,90',
      '',
      '00:00:03.000 --> 00:00:02.000',
      'backwards.jpg#xywh=0,0,160,90',
      '',
      '00:00:03.000 --> 00:00:04.000',
      'a.jpg#xywh=0,0,160',
      '',
      '00:00:04.000 --> 00:00:05.000',
      'a.jpg#xywh=0,0,0,90',
      '',
      '00:00:05.000 --> 00:00:06.000',
      'a.jpg#xywh=-1,0,160,90',
      '',
      '00:00:06.000 --> 00:00:07.000',
      '',
      '00:00:07.000 --> 00:00:08.000',
      '#xywh=0,0,160,90',
      '',
      '00:00:08.000 --> 00:00:09.000',
      'good.jpg#xywh=0,90,160,90',
      '',
      '00:00:09.000 -->',
    ].join('\n');
    const tiles = parseStoryboardVtt(text, BASE);
    expect(tiles).toHaveLength(1);
    expect(tiles[0]).toMatchObject({ start: 8, end: 9, x: 0, y: 90 });
  });

  it('sorts cues by time and stops at MAX_CUES', () => {
    const cue = (s: number) =>
      `00:00:${String(s).padStart(2, '0')}.000 --> 00:00:${String(s + 1).padStart(2, '0')}.000\nx.jpg#xywh=0,0,2,2\n`;
    expect(parseStoryboardVtt(`WEBVTT\n\n${cue(5)}\n${cue(1)}`, BASE).map((t) => t.start)).toEqual([1, 5]);
    const many = `WEBVTT\n\n${Array.from({ length: MAX_CUES + 10 }, () => cue(1)).join('\n')}`;
    expect(parseStoryboardVtt(many, BASE)).toHaveLength(MAX_CUES);
  });
});

describe('tileAt', () => {
  const tiles = parseStoryboardVtt(
    'WEBVTT\n\n00:00.000 --> 00:02.000\na.jpg#xywh=0,0,16,9\n\n00:02.000 --> 00:04.000\na.jpg#xywh=16,0,16,9\n\n00:06.000 --> 00:08.000\nb.jpg#xywh=0,0,16,9\n',
    BASE,
  );
  it('finds the cue holding the time, the one before a gap, the last past the end', () => {
    expect(tileAt(tiles, 0)?.x).toBe(0);
    expect(tileAt(tiles, 1.99)?.x).toBe(0);
    expect(tileAt(tiles, 2)?.x).toBe(16);
    expect(tileAt(tiles, 5)?.x).toBe(16);
    expect(tileAt(tiles, 7)?.url).toMatch(/b\.jpg$/);
    expect(tileAt(tiles, 100)?.url).toMatch(/b\.jpg$/);
    expect(tileAt(tiles, -1)?.x).toBe(0);
  });
  it('has nothing to show without tiles or a time', () => {
    expect(tileAt([], 1)).toBeNull();
    expect(tileAt(tiles, Number.NaN)).toBeNull();
  });
  it('lists each sprite once', () => {
    expect(spriteUrls(tiles).map((u) => u.split('/').pop())).toEqual(['a.jpg', 'b.jpg']);
  });
});
