import { describe, expect, it } from 'vitest';
import { chooseLiveRung, initialLiveRung, RECOVERY_MS, STALL_WINDOW_MS, VIDEO_RUNG_BPS, type LinkFigures } from './live-rung.js';

const good: LinkFigures = { hasVideo: true, current: '240p', bandwidthBps: 2_000_000, stallsAt: [], since: 0, now: 100_000 };

describe('choosing the live rung for a classroom', () => {
  it('keeps the picture on a good link, and is audio-only when the teacher has no camera', () => {
    expect(chooseLiveRung(good)).toBe('240p');
    expect(chooseLiveRung({ ...good, hasVideo: false })).toBe('audio');
  });

  it('drops to audio after two stalls in 30 s, but not for stalls long past', () => {
    expect(chooseLiveRung({ ...good, stallsAt: [95_000, 99_000] })).toBe('audio');
    expect(chooseLiveRung({ ...good, stallsAt: [99_000] })).toBe('240p');
    expect(chooseLiveRung({ ...good, stallsAt: [100_000 - STALL_WINDOW_MS - 1, 99_000] })).toBe('240p');
  });

  it('drops to audio when the measured throughput cannot carry the picture', () => {
    expect(chooseLiveRung({ ...good, bandwidthBps: VIDEO_RUNG_BPS })).toBe('audio');
    expect(chooseLiveRung({ ...good, bandwidthBps: VIDEO_RUNG_BPS * 1.5 })).toBe('240p');
  });

  it('climbs back to the picture only after a calm minute with twice the rung’s rate', () => {
    const onAudio: LinkFigures = { ...good, current: 'audio', since: 100_000 - RECOVERY_MS + 1 };
    expect(chooseLiveRung(onAudio)).toBe('audio');
    expect(chooseLiveRung({ ...onAudio, since: 100_000 - RECOVERY_MS })).toBe('240p');
    expect(chooseLiveRung({ ...onAudio, since: 0, bandwidthBps: VIDEO_RUNG_BPS * 1.9 })).toBe('audio');
    expect(chooseLiveRung({ ...onAudio, since: 0, stallsAt: [90_000] })).toBe('audio');
  });

  it('starts on audio when the browser already reports a slow link', () => {
    expect(initialLiveRung(true, 0.15)).toBe('audio');
    expect(initialLiveRung(true, 10)).toBe('240p');
    expect(initialLiveRung(true, undefined)).toBe('240p');
    expect(initialLiveRung(false, 10)).toBe('audio');
  });
});
