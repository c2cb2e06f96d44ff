import { describe, expect, it } from 'vitest';
import type { LadderSource } from './ladder.js';
import { DECLARED_BANDWIDTH_FACTOR, SEGMENT_SECONDS, planLadder, rungFrameRate, snapFrameRate } from './ladder.js';

const fullHd: LadderSource = { width: 1920, height: 1080, fps: 30, hasVideo: true, hasAudio: true };
const names = (source: LadderSource) => planLadder(source).video.map((rung) => rung.name);

describe('planLadder', () => {
  it('plans 720p down to 144p plus an audio-only rung for a full-HD lecture', () => {
    const plan = planLadder(fullHd);
    expect(plan.video.map((r) => [r.name, r.width, r.height])).toEqual([
      ['720p', 1280, 720], ['480p', 854, 480], ['360p', 640, 360], ['240p', 426, 240], ['144p', 256, 144],
    ]);
    expect(plan.audio).toEqual({ name: 'audio', audioKbps: 32, channels: 1, sampleRate: 32_000 });
    expect(plan.audio!.audioKbps).toBeLessThanOrEqual(48);
    expect(plan.segmentSeconds).toBe(4);
  });

  it('never upscales: rungs above the source are skipped', () => {
    expect(names({ ...fullHd, width: 640, height: 360 })).toEqual(['360p', '240p', '144p']);
    expect(names({ ...fullHd, width: 854, height: 470 })).toEqual(['360p', '240p', '144p']);
  });

  it('gives a source below 144p one rung at its own (even) size', () => {
    const plan = planLadder({ ...fullHd, width: 177, height: 99 });
    expect(plan.video.map((r) => [r.width, r.height])).toEqual([[176, 98]]);
    expect(plan.startRungName).toBe(plan.video[0]!.name);
  });

  it('keeps widths even and the aspect ratio within a pixel, portrait and 4:3 included', () => {
    for (const source of [fullHd, { ...fullHd, width: 1080, height: 1920 }, { ...fullHd, width: 1024, height: 768 }]) {
      for (const rung of planLadder(source).video) {
        expect(rung.width % 2).toBe(0);
        expect(rung.height % 2).toBe(0);
        expect(Math.abs(rung.width / rung.height - source.width / source.height) * rung.height).toBeLessThanOrEqual(2);
      }
    }
    expect(planLadder({ ...fullHd, width: 1080, height: 1920 }).video[0]).toMatchObject({ width: 720, height: 1280 });
  });

  it('keeps every rung inside its bandwidth ceiling as ffmpeg will declare it', () => {
    const ceilings: Record<string, number> = { '720p': 500, '480p': 250, '360p': 180, '240p': 100 };
    for (const rung of planLadder(fullHd).video) {
      const declared = (rung.videoMaxKbps + (rung.audioKbps ?? 0)) * DECLARED_BANDWIDTH_FACTOR;
      expect(declared).toBeLessThanOrEqual(rung.ceilingKbps);
      if (ceilings[rung.name]) expect(rung.ceilingKbps).toBeLessThanOrEqual(ceilings[rung.name]!);
      expect(rung.videoTargetKbps).toBeLessThan(rung.videoMaxKbps);
      expect(rung.bufsizeKbits).toBeGreaterThanOrEqual(rung.videoMaxKbps);
    }
  });

  it('lowers the frame rate on the low rungs', () => {
    const fps = Object.fromEntries(planLadder({ ...fullHd, fps: 60 }).video.map((r) => [r.name, r.fps]));
    expect(fps).toEqual({ '720p': 30, '480p': 30, '360p': 30, '240p': 15, '144p': 12 });
  });

  it('puts a keyframe on every segment boundary of every rung, whatever the source rate', () => {
    for (const sourceFps of [23.976, 24, 25, 29.97, 30, 50, 59.94, 60, 15, 120]) {
      for (const rung of planLadder({ ...fullHd, fps: sourceFps }).video) {
        expect(Number.isInteger(rung.gopFrames)).toBe(true);
        expect(rung.gopFrames / rung.fps).toBeCloseTo(SEGMENT_SECONDS, 9);
      }
    }
  });

  it('drops audio from video rungs of a silent video and has no audio-only rung', () => {
    const plan = planLadder({ ...fullHd, hasAudio: false });
    expect(plan.audio).toBeNull();
    expect(plan.video.every((rung) => rung.audioKbps === null)).toBe(true);
  });

  it('plans only the audio rung for an audio-only lecture', () => {
    const plan = planLadder({ width: 0, height: 0, fps: null, hasVideo: false, hasAudio: true });
    expect(plan.video).toEqual([]);
    expect(plan.startRungName).toBe('audio');
  });

  it('starts playback on 240p, the rung a 100 kbit/s link can carry', () => {
    expect(planLadder(fullHd).startRungName).toBe('240p');
    expect(planLadder({ ...fullHd, width: 320, height: 180 }).startRungName).toBe('144p');
  });

  it('refuses to plan what cannot be played', () => {
    expect(() => planLadder({ ...fullHd, hasVideo: false, hasAudio: false })).toThrow();
    expect(() => planLadder({ ...fullHd, fps: null })).toThrow(/frame rate/);
  });
});

describe('rungFrameRate', () => {
  it('snaps broadcast rates and decimates by whole frames', () => {
    expect(snapFrameRate(29.97)).toBe(30);
    expect(snapFrameRate(23.976)).toBe(24);
    expect(rungFrameRate(25, 15)).toBe(12.5);
    expect(rungFrameRate(24, 12.5)).toBe(12);
    expect(rungFrameRate(30, 12.5)).toBe(10);
    expect(rungFrameRate(10, 15)).toBe(10);
  });
});
