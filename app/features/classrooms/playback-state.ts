import type { PlaybackState } from '../../../db/schema/classrooms.js';

export type { PlaybackState };

export const initialPlaybackState: PlaybackState = { playing: false, position: 0, anchorAt: 0, slide: 0, waitingFor: [] };

export const playbackCommands = ['play', 'pause', 'seek', 'slide'] as const;
export type PlaybackCommand = { kind: 'play' } | { kind: 'pause' } | { kind: 'seek'; position: number } | { kind: 'slide'; slide: number };

/** Where the video should be at server time `at` (ms since the epoch). */
export function positionAt(state: PlaybackState, at: number): number {
  if (!state.playing) return state.position;
  return Math.max(0, state.position + Math.max(0, at - state.anchorAt) / 1000);
}

/** The state after `command` takes effect at the shared instant `at`. */
export function applyCommand(state: PlaybackState, command: PlaybackCommand, at: number, duration = Infinity): PlaybackState {
  const here = Math.min(positionAt(state, at), duration);
  switch (command.kind) {
    case 'play':
      return { ...state, playing: true, position: here, anchorAt: at, waitingFor: [] };
    case 'pause':
      return { ...state, playing: false, position: here, anchorAt: at, waitingFor: [] };
    case 'seek':
      return { ...state, position: Math.max(0, Math.min(command.position, duration)), anchorAt: at };
    case 'slide':
      return { ...state, slide: Math.max(0, command.slide), position: here, anchorAt: at };
  }
}

/**
 * The state a screen should follow at server time `now`: a scheduled change (its
 * `anchorAt` in the future) has not happened yet, so until then the previous one holds.
 */
export function effectiveState(current: PlaybackState, previous: PlaybackState | null, now: number): PlaybackState {
  return previous && current.anchorAt > now ? previous : current;
}
