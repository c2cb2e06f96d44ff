import { useEffect, useRef, useState } from 'react';
import { reconnectDelay, STREAM_SILENCE_MS } from './backoff.js';
import { applySessionMessage, type SessionView } from './session-view.js';

const kinds = ['snapshot', 'playback', 'session', 'poll', 'question', 'hand', 'attendance', 'connection', 'deck', 'live', 'ping'] as const;

/**
 * The session's live view from its event stream. Reconnects by itself with backoff
 * (EventSource gives up for good on an HTTP error, e.g. while a web process restarts)
 * and asks for what it missed with ?since=<last seq>.
 */
export function useSessionStream(url: string, initial: SessionView): { view: SessionView; connected: boolean } {
  const [view, setView] = useState(initial);
  const [connected, setConnected] = useState(false);
  const seq = useRef(initial.seq);

  useEffect(() => {
    let source: EventSource | null = null;
    let attempt = 0;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const reconnect = () => {
      source?.close();
      setConnected(false);
      if (stopped) return;
      clearTimeout(retry);
      retry = setTimeout(open, reconnectDelay(attempt++));
    };
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(reconnect, STREAM_SILENCE_MS);
    };
    function open() {
      const sep = url.includes('?') ? '&' : '?';
      source = new EventSource(`${url}${sep}since=${seq.current}`);
      source.onopen = () => {
        attempt = 0;
        setConnected(true);
        alive();
      };
      source.onerror = reconnect;
      for (const kind of kinds) {
        source.addEventListener(kind, (e) => {
          alive();
          if (kind === 'ping') return;
          const m = e as MessageEvent<string>;
          const id = m.lastEventId ? Number(m.lastEventId) : null;
          if (id !== null) seq.current = id;
          setView((v) => applySessionMessage(v, kind, JSON.parse(m.data) as Record<string, unknown>, id));
        });
      }
    }
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      clearTimeout(watchdog);
      source?.close();
    };
  }, [url]);

  return { view, connected };
}
