import { describe, expect, it } from 'vitest';
import { applyCommand, effectiveState, initialPlaybackState, positionAt } from './playback-state.js';

describe('shared playback state', () => {
  it('advances while playing and holds still while paused', () => {
    const playing = applyCommand(initialPlaybackState, { kind: 'play' }, 10_000);
    expect(positionAt(playing, 10_000)).toBe(0);
    expect(positionAt(playing, 12_500)).toBe(2.5);
    const paused = applyCommand(playing, { kind: 'pause' }, 14_000);
    expect(paused.playing).toBe(false);
    expect(positionAt(paused, 99_000)).toBe(4);
  });

  it('a seek keeps playing from the new position; a seek past the end stops at the end', () => {
    const playing = applyCommand(initialPlaybackState, { kind: 'play' }, 0);
    const seeked = applyCommand(playing, { kind: 'seek', position: 60 }, 5_000);
    expect(positionAt(seeked, 6_000)).toBe(61);
    expect(applyCommand(playing, { kind: 'seek', position: 999 }, 5_000, 120).position).toBe(120);
  });

  it('a change scheduled for a future instant takes effect only then', () => {
    const playing = applyCommand(initialPlaybackState, { kind: 'play' }, 0);
    const pauseLater = applyCommand(playing, { kind: 'pause' }, 10_000);
    expect(effectiveState(pauseLater, playing, 9_000)).toBe(playing);
    expect(positionAt(effectiveState(pauseLater, playing, 9_000), 9_000)).toBe(9);
    expect(effectiveState(pauseLater, playing, 10_000)).toBe(pauseLater);
    expect(positionAt(effectiveState(pauseLater, playing, 30_000), 30_000)).toBe(10);
  });

  it('slides change without moving the video', () => {
    const playing = applyCommand(initialPlaybackState, { kind: 'play' }, 0);
    const next = applyCommand(playing, { kind: 'slide', slide: 2 }, 3_000);
    expect(next.slide).toBe(2);
    expect(positionAt(next, 4_000)).toBe(4);
  });
});
