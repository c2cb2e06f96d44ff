import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.js';
import { cacheKeyOf, megabytes, PREFETCH_CACHE, rememberPreparedRung, SERVICE_WORKER_PATH, SERVICE_WORKER_SCOPE, type PrefetchManifest } from './prefetch.js';
import { inPool } from '../in-pool.js';

type Phase = 'idle' | 'unsupported' | 'preparing' | 'complete' | 'failed' | 'cleared';
/** Two files at a time: a classroom's link stays busy without starving the live stream. */
const PARALLEL = 2;

const supported = () => typeof window !== 'undefined' && window.isSecureContext && 'caches' in window && 'serviceWorker' in navigator;

/**
 * Prepares a receiving screen before class: the whole lesson at the classroom's rung and
 * every slide page go into the Cache API, which the classroom service worker answers
 * from. Starts by itself while the session is still scheduled; the assistant may press
 * "prepare" (resumes: stored files are skipped) or clear it.
 */
function usePrefetch(manifestUrl: string, auto: boolean) {
  const [manifest, setManifest] = useState<PrefetchManifest | null>(null);
  const [done, setDone] = useState(0);
  const [phase, setPhase] = useState<Phase>('idle');
  const [reason, setReason] = useState('');
  const running = useRef(false);

  const load = useCallback(async () => {
    const res = await fetch(manifestUrl, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const m = (await res.json()) as PrefetchManifest;
    const cache = await caches.open(PREFETCH_CACHE);
    let have = 0;
    for (const item of m.items) if (await cache.match(cacheKeyOf(item.url)!)) have += item.bytes;
    setManifest(m);
    setDone(have);
    return { m, cache, have };
  }, [manifestUrl]);

  const prepare = useCallback(async () => {
    if (running.current || !supported()) return;
    running.current = true;
    setPhase('preparing');
    try {
      const { m, cache, have } = await load();
      let stored = have;
      await inPool(m.items, PARALLEL, async (item) => {
        const key = cacheKeyOf(item.url)!;
        if (await cache.match(key)) return;
        const res = await fetch(item.url, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await cache.put(key, res);
        stored += item.bytes;
        setDone(stored);
      });
      rememberPreparedRung(m);
      setPhase('complete');
    } catch (e) {
      setReason(e instanceof Error ? e.message : String(e));
      setPhase('failed');
    } finally {
      running.current = false;
    }
  }, [load]);

  const clear = useCallback(async () => {
    const cache = await caches.open(PREFETCH_CACHE);
    const { m } = await load();
    await Promise.all(m.items.map((i) => cache.delete(cacheKeyOf(i.url)!)));
    setDone(0);
    setPhase('cleared');
  }, [load]);

  useEffect(() => {
    if (!supported()) return void setPhase('unsupported');
    void navigator.serviceWorker.register(SERVICE_WORKER_PATH, { scope: SERVICE_WORKER_SCOPE }).catch(() => {});
    if (auto) void prepare();
    else if (!running.current)
      void load()
        .then(({ m, have }) => setPhase(m.items.length > 0 && have >= m.totalBytes ? 'complete' : 'idle'))
        .catch(() => {});
  }, [auto, load, prepare]);

  return { manifest, done, phase, reason, prepare, clear };
}

export function PrefetchPanel({ sessionId, classroomId, scheduled }: { sessionId: string; classroomId: string; scheduled: boolean }) {
  const t = useT();
  const { manifest, done, phase, reason, prepare, clear } = usePrefetch(`/classroom/sessions/${sessionId}/prefetch?classroom=${classroomId}`, scheduled);
  const total = manifest ? megabytes(manifest.totalBytes) : '…';
  return (
    <section className="panel" aria-labelledby="prefetch-title">
      <h2 id="prefetch-title">{t('prefetch.title')}</h2>
      {phase === 'unsupported' ? (
        <p>{t('prefetch.unsupported')}</p>
      ) : (
        <>
          <p className="hint">{t('prefetch.lead', { rung: manifest?.rung ?? '…' })}</p>
          <p role="status" data-testid="prefetch-status" data-phase={phase} data-done={done} data-total={manifest?.totalBytes ?? ''}>
            {phase === 'complete' ? t('prefetch.complete', { total }) : t('prefetch.progress', { done: megabytes(done), total })}
            {phase === 'failed' ? ` ${t('prefetch.failed', { reason })}` : null}
            {phase === 'cleared' ? ` ${t('prefetch.cleared')}` : null}
          </p>
          {manifest ? <progress max={Math.max(1, manifest.totalBytes)} value={done} aria-hidden="true" /> : null}
          <div className="row-form">
            <button type="button" className="button secondary" onClick={() => void prepare()} disabled={phase === 'preparing'}>
              {t('prefetch.prepare')}
            </button>
            <button type="button" className="link-button" onClick={() => void clear()}>
              {t('prefetch.clear')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
