import type { BeaconBatch, BeaconEvent, ViewMeta } from './beacon';
import { embedHostOf, newViewId } from './beacon';
import { BeaconBatcher, type Urgency } from './batcher';
import { PlaybackTracker } from './tracker';

/** A tracker on a fake clock, recording what it emits, with a playhead that advances in real time. */
function setup(duration: number | null = 60) {
  let now = 1000;
  let ids = 0;
  const events: Array<{ meta: ViewMeta; event: BeaconEvent; urgency: Urgency }> = [];
  const tracker = new PlaybackTracker({
    videoId: 'vid',
    surface: 'watch',
    embedHost: null,
    referrer: 'https://news.example.org/a',
    now: () => now,
    newViewId: () => `view-${++ids}`.padEnd(22, 'x'),
    emit: (meta, event, urgency) => events.push({ meta, event, urgency }),
    duration: () => duration,
    elementHeight: () => 540,
  });
  let playhead = 0;
  /** Plays for `ms` (playhead moving at 1×), sampled every 250 ms. */
  const play = (ms: number) => {
    for (let i = 0; i < ms / 250; i++) {
      now += 250;
      playhead += 0.25;
      tracker.tick(playhead);
    }
  };
  /** Time passes with the playhead stuck (a stall, or paused). */
  const wait = (ms: number) => {
    for (let i = 0; i < ms / 250; i++) {
      now += 250;
      tracker.tick(playhead);
    }
  };
  return {
    tracker,
    events,
    types: () => events.map((e) => e.event.type),
    of: (type: string) => events.filter((e) => e.event.type === type).map((e) => e.event),
    play,
    wait,
    at: () => playhead,
    seekTo: (to: number) => {
      tracker.seeking(to);
      playhead = to;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('PlaybackTracker', () => {
  it('starts a view on play and measures startup to the first frame', () => {
    const s = setup();
    s.tracker.play(0);
    s.advance(412);
    s.tracker.playing(0);
    expect(s.events.map((e) => e.event)).toEqual([
      { seq: 0, type: 'viewstart', t: 0, playhead: 0 },
      { seq: 1, type: 'playing', t: 412, playhead: 0, startup_ms: 412 },
    ]);
    expect(s.events[0].meta).toMatchObject({
      video_id: 'vid',
      surface: 'watch',
      embed_host: null,
      referrer: 'https://news.example.org/a',
      duration: 60,
    });
  });

  it('sends a heartbeat every 10 s with the ranges played since the last one', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(25_000);
    const beats = s.of('heartbeat');
    expect(beats.map((b) => b.ranges)).toEqual([[[0, 10]], [[10, 20]]]);
    expect(beats[0]).toMatchObject({ t: 10_000, playhead: 10, element_height: 540 });
    // MP4: no segment statistics
    expect(beats[0].bytes).toBeUndefined();
    s.tracker.pause(s.at());
    expect(s.types().slice(-2)).toEqual(['heartbeat', 'pause']);
    expect(s.of('heartbeat')[2].ranges).toEqual([[20, 25]]);
    // The pause goes soon, with the heartbeat before it: the viewer may leave without a word.
    expect(s.events.slice(-2).map((e) => e.urgency)).toEqual(['batch', 'soon']);
  });

  it('numbers events from 0 without gaps over the whole view', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(3000);
    s.tracker.pause(s.at());
    s.tracker.play(s.at());
    s.play(12_000);
    s.seekTo(40);
    s.play(2000);
    s.tracker.hide(s.at());
    expect(s.events.map((e) => e.event.seq)).toEqual(s.events.map((_, i) => i));
    expect(new Set(s.events.map((e) => e.meta.view_id)).size).toBe(1);
    const ts = s.events.map((e) => e.event.t);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
  });

  it('sends a seek with from and to, and splits the ranges at it', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(4000);
    s.seekTo(30);
    s.play(3000);
    s.tracker.pause(s.at());
    expect(s.types()).toEqual(['viewstart', 'playing', 'heartbeat', 'seek', 'heartbeat', 'pause']);
    expect(s.of('seek')[0]).toMatchObject({ from: 4, to: 30 });
    expect(s.of('heartbeat').map((b) => b.ranges)).toEqual([[[0, 4]], [[30, 33]]]);
  });

  it('detects a stall after 1 s without movement while playing, and measures it', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(2000);
    s.wait(750);
    expect(s.of('stall_start')).toEqual([]);
    s.wait(500);
    expect(s.of('stall_start')).toHaveLength(1);
    s.wait(1750);
    s.play(250);
    const end = s.of('stall_end');
    expect(end).toHaveLength(1);
    // From the moment the playhead stopped to the sample where it moved again.
    expect(end[0].stall_ms).toBe(3250);
    // The stall is not play time.
    s.tracker.pause(s.at());
    expect(s.of('heartbeat').map((b) => b.ranges)).toEqual([[[0, 2.25]]]);
  });

  it('counts no stall while paused, before the first frame, or while a seek resumes', () => {
    const s = setup();
    s.tracker.play(0);
    s.wait(3000); // startup, not a stall
    s.tracker.playing(0);
    s.play(1000);
    s.tracker.pause(s.at());
    s.wait(5000);
    s.tracker.play(s.at());
    s.seekTo(20);
    s.wait(2000); // seek latency
    s.play(1000);
    expect(s.of('stall_start')).toEqual([]);
  });

  it('ends a stall when the viewer pauses', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(1000);
    s.wait(2000);
    s.tracker.pause(s.at());
    expect(s.types().slice(-4)).toEqual(['stall_start', 'stall_end', 'heartbeat', 'pause']);
  });

  it('starts a new view for a replay after ended', () => {
    const s = setup(5);
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(5000);
    s.tracker.ended(5);
    s.seekTo(0); // not part of any view
    s.tracker.play(0);
    s.tracker.playing(0);
    const first = s.events.filter((e) => e.meta.view_id === s.events[0].meta.view_id).map((e) => e.event.type);
    expect(first).toEqual(['viewstart', 'playing', 'heartbeat', 'ended']);
    const second = s.events.filter((e) => e.meta.view_id !== s.events[0].meta.view_id).map((e) => e.event);
    expect(second.map((e) => [e.seq, e.type])).toEqual([
      [0, 'viewstart'],
      [1, 'playing'],
    ]);
  });

  it('ends the view on hide (sent at once), and playing on after it is a new view', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(3000);
    s.tracker.hide(s.at());
    s.tracker.hide(s.at()); // pagehide after visibilitychange: once
    expect(s.types()).toEqual(['viewstart', 'playing', 'heartbeat', 'viewend']);
    expect(s.events[3].urgency).toBe('now');
    s.tracker.show(s.at(), true);
    expect(s.events[4].event).toMatchObject({ seq: 0, type: 'viewstart' });
    expect(s.events[4].meta.view_id).not.toBe(s.events[0].meta.view_id);
  });

  it('keeps ranges and seeks inside [0, duration]', () => {
    const s = setup(10);
    s.tracker.play(0);
    s.tracker.playing(0);
    s.play(10_500);
    s.tracker.ended(s.at());
    const ends = s.of('heartbeat').flatMap((b) => b.ranges!.flat());
    expect(Math.max(...ends)).toBe(10);
    expect(Math.min(...ends)).toBe(0);
  });

  it('reports renditions and the segment bytes since the last heartbeat', () => {
    const s = setup();
    s.tracker.rendition(360, 800_000); // before the view: carried by the heartbeats only
    s.tracker.fragment(1000, 40);
    s.tracker.play(0);
    s.tracker.playing(0);
    s.tracker.fragment(2000, 60);
    s.play(2000);
    s.tracker.rendition(720, 2_400_000);
    s.play(2000);
    s.tracker.pause(s.at());
    expect(s.of('rendition')).toEqual([expect.objectContaining({ height: 720, bitrate: 2_400_000 })]);
    const hb = s.of('heartbeat');
    expect(hb).toHaveLength(1);
    expect(hb[0]).toMatchObject({ bytes: 3000, download_ms: 100, height: 720, bitrate: 2_400_000 });
  });

  it('cuts error messages to 200 characters', () => {
    const s = setup();
    s.tracker.play(0);
    s.tracker.error('networkError', 'x'.repeat(500), 0);
    expect(s.of('error')[0].message).toHaveLength(200);
  });
});

describe('BeaconBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const meta = (view_id = 'v1'): ViewMeta => ({
    video_id: 'vid',
    view_id,
    surface: 'watch',
    embed_host: null,
    referrer: null,
    duration: 10,
  });
  const ev = (seq: number, type: BeaconEvent['type'] = 'heartbeat'): BeaconEvent => ({
    seq,
    type,
    t: seq,
    playhead: 0,
  });

  it('sends the first event at once, then at most every 5 s', () => {
    const sent: BeaconBatch[] = [];
    const b = new BeaconBatcher({ transport: (body) => sent.push(JSON.parse(body)) });
    b.add(meta(), ev(0, 'viewstart'));
    expect(sent).toHaveLength(1);
    b.add(meta(), ev(1));
    vi.advanceTimersByTime(1000);
    b.add(meta(), ev(2));
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(4000);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ v: 1, view_id: 'v1', video_id: 'vid', duration: 10 });
    expect(sent[1].events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('sends viewend at once, whatever the interval', () => {
    const sent: BeaconBatch[] = [];
    const b = new BeaconBatcher({ transport: (body) => sent.push(JSON.parse(body)) });
    b.add(meta(), ev(0));
    b.add(meta(), ev(1));
    b.add(meta(), ev(2, 'viewend'), 'now');
    expect(sent.map((s) => s.events.map((e) => e.seq))).toEqual([[0], [1, 2]]);
  });

  it('sends a pause within 2 s of the last send, with what was queued before it', () => {
    const sent: BeaconBatch[] = [];
    const b = new BeaconBatcher({ transport: (body) => sent.push(JSON.parse(body)) });
    b.add(meta(), ev(0, 'viewstart'));
    vi.advanceTimersByTime(500);
    b.add(meta(), ev(1));
    b.add(meta(), ev(2, 'pause'), 'soon');
    vi.advanceTimersByTime(1499);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.map((s) => s.events.map((e) => e.seq))).toEqual([[0], [1, 2]]);
    // Long after the last send, a pause goes at once; the 5 s timer starts again from it.
    vi.advanceTimersByTime(10_000);
    b.add(meta(), ev(3, 'pause'), 'soon');
    expect(sent).toHaveLength(3);
    b.add(meta(), ev(4));
    vi.advanceTimersByTime(4999);
    expect(sent).toHaveLength(3);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(4);
  });

  it('keeps one batch per view and at most 100 events in one', () => {
    const sent: BeaconBatch[] = [];
    const b = new BeaconBatcher({ transport: (body) => sent.push(JSON.parse(body)) });
    b.add(meta('a'), ev(0));
    for (let i = 1; i <= 150; i++) b.add(meta('a'), ev(i));
    b.add(meta('b'), ev(0, 'viewstart'));
    vi.advanceTimersByTime(5000);
    expect(sent.map((s) => [s.view_id, s.events.length])).toEqual([
      ['a', 1],
      ['a', 100],
      ['a', 50],
      ['b', 1],
    ]);
  });
});

describe('view ids and embed hosts', () => {
  it('makes 22 characters of base64url from 16 random bytes', () => {
    const id = newViewId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newViewId()).not.toBe(id);
    expect(newViewId((b) => b.fill(255))).toBe('_'.repeat(21) + 'w');
  });

  it('names the embedding host only inside a frame', () => {
    const top = {} as Window;
    expect(embedHostOf({ self: top, top } as Window, 'https://blog.example.org/post')).toBeNull();
    expect(embedHostOf({ self: {} as Window, top } as Window, 'https://blog.example.org/post')).toBe(
      'blog.example.org',
    );
  });
});
