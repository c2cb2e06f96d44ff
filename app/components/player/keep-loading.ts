import type Hls from 'hls.js';
import { recoveryFor, type PlayerError } from './recovery.js';

export type PlaybackProblem = 'retrying' | 'missing' | 'failed';

export interface KeepLoadingOptions {
  /** The playlist the player was given: loaded again when the failure came before any. */
  src: string;
  /** Where loading resumes once the link is back. */
  resumeAt: () => number;
  /** What to tell the viewer (null: playing again). */
  onProblem: (problem: PlaybackProblem | null) => void;
  /** Signed links expired: fetch new ones (the page's data). */
  onRenewLinks: () => void;
  /** Failures since playback last made progress; a ref keeps the count across new players. */
  failures: { current: number };
}

/**
 * Carries an hls.js player through a dropped link: after hls.js's own retries give up it
 * waits (recovery.ts) and loads again from where playback stood, at once when the browser
 * says it is back online; media errors get hls.js's own recovery. Returns the cleanup.
 */
export function keepLoading(player: Hls, events: typeof Hls.Events, o: KeepLoadingOptions): () => void {
  const { failures } = o;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryNow: (() => void) | null = null;
  const onOnline = () => {
    if (!retryNow) return;
    clearTimeout(timer);
    retryNow();
  };
  window.addEventListener('online', onOnline);
  player.on(events.FRAG_LOADED, () => {
    if (failures.current === 0) return;
    failures.current = 0;
    o.onProblem(null);
  });
  player.on(events.ERROR, (_event, data) => {
    if (!data.fatal) return; // hls.js retries those itself
    failures.current += 1;
    const recovery = recoveryFor({ type: data.type as PlayerError['type'], httpStatus: data.response?.code }, failures.current);
    o.onProblem(recovery.problem);
    if (recovery.action === 'recover-media') player.recoverMediaError();
    else if (recovery.action === 'renew-links') o.onRenewLinks();
    else if (recovery.action === 'reload') {
      retryNow = () => {
        retryNow = null;
        // Before the playlists arrived there is nothing to resume: ask for them again.
        if (player.levels.length === 0) player.loadSource(o.src);
        else player.startLoad(o.resumeAt());
      };
      timer = setTimeout(retryNow, recovery.delayMs);
    }
  });
  return () => {
    clearTimeout(timer);
    window.removeEventListener('online', onOnline);
  };
}
