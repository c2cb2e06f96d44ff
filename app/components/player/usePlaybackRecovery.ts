import { useRevalidator } from '@remix-run/react';
import { useEffect, useRef, useState } from 'react';
import type { PlaybackProblem } from './keep-loading.js';

/**
 * A player's recovery state (keep-loading.ts): the problem to show, a `restart` counter
 * for the player's effect (a new player), the failure count that survives restarts, and
 * renewal of expired signed links. Those expire after about six hours on one page; renewing
 * reloads the page's data, and a new `base` restarts the player through its effect, while
 * the same base coming back restarts it here.
 */
export function usePlaybackRecovery(base: string) {
  const [problem, setProblem] = useState<PlaybackProblem | null>(null);
  const [restart, setRestart] = useState(0);
  const failures = useRef(0);
  const revalidator = useRevalidator();
  const renewingFrom = useRef<string | null>(null);
  useEffect(() => {
    if (revalidator.state !== 'idle' || renewingFrom.current === null) return;
    if (renewingFrom.current === base) setRestart((n) => n + 1);
    renewingFrom.current = null;
  }, [revalidator.state, base]);
  const baseRef = useRef(base);
  baseRef.current = base;
  const { revalidate } = revalidator;
  /** Playback moved on (a native player's `playing`): no problem, a clean count. */
  const progressed = () => {
    failures.current = 0;
    setProblem(null);
  };
  return {
    problem,
    setProblem,
    restart,
    failures,
    renewLinks: () => {
      renewingFrom.current = baseRef.current;
      revalidate();
    },
    progressed,
    /** The viewer's button: a new player, with a clean count. */
    tryAgain: () => {
      progressed();
      setRestart((n) => n + 1);
    },
  };
}
