import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n.js';
import { cacheKeyOf, megabytes, PREFETCH_CACHE, rememberPreparedRung, SERVICE_WORKER_PATH, SERVICE_WORKER_SCOPE, type PrefetchManifest } from './prefetch.js';
import { inPool } from '../in-pool.js';
import { DownloadError, fetchPatiently, httpFailure, type DownloadFailure } from '../patient-fetch.js';

type Phase = 'idle' | 'unsupported' | 'preparing' | 'complete' | 'failed' | 'cleared';
/** Two files at a time: a classroom's link stays busy without starving the live stream. */
const PARALLEL = 2;
/**
 * A file whose answer or next bytes take this long is asked for again (four times in all):
 * a shared rural link may crawl, but one that delivers nothing for 30 s has dropped the
 * connection without saying so, and would otherwise hold "preparing" for ever.
 */
const STALL_MS = 30_000;
const ATTEMPTS = 4;
/** A screen preparing by itself tries again this long after a failure, or when it comes back online. */
const RETRY_AFTER_FAILURE_MS = 60_000;

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
  const [reason, setReason] = useState<{ kind: DownloadFailure; status: number | null }>({ kind: 'network', status: null });
  const running = useRef<AbortController | null>(null);

  const load = useCallback(async () => {
    const res = await fetch(manifestUrl, { headers: { Accept: 'application/json' } });
    if (!res.ok) throw new DownloadError(`HTTP ${res.status}`, httpFailure(res.status), res.status);
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
    const stop = new AbortController();
    running.current = stop;
    setPhase('preparing');
    try {
      const { m, cache, have } = await load();
      // Whole files stored, plus the bytes of the files arriving now (progress on a slow link).
      let stored = have;
      const arriving = new Map<string, number>();
      const show = () => !stop.signal.aborted && setDone(stored + [...arriving.values()].reduce((a, b) => a + b, 0));
      await inPool(m.items, PARALLEL, async (item) => {
        const key = cacheKeyOf(item.url)!;
        if (stop.signal.aborted || (await cache.match(key))) return;
        const got = await fetchPatiently(item.url, {
          stallMs: STALL_MS,
          attempts: ATTEMPTS,
          init: { credentials: 'same-origin' },
          signal: stop.signal,
          onProgress: (bytes) => {
            arriving.set(key, Math.min(bytes, item.bytes));
            show();
          },
        });
        await cache.put(key, new Response(got.body, { status: got.status, headers: got.headers }));
        arriving.delete(key);
        stored += item.bytes;
        show();
      });
      if (stop.signal.aborted) return;
      rememberPreparedRung(m);
      setPhase('complete');
    } catch (e) {
      if (stop.signal.aborted) return;
      setReason(e instanceof DownloadError ? { kind: e.kind, status: e.status } : { kind: 'network', status: null });
      setPhase('failed');
    } finally {
      // A lane still downloading when another failed stops too: a new run starts clean.
      stop.abort(new Error('finished'));
      if (running.current === stop) running.current = null;
    }
  }, [load]);

  const clear = useCallback(async () => {
    running.current?.abort(new Error('cleared'));
    running.current = null;
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

  // Preparing by itself (before class), a failure is not the end: the assistant may be
  // elsewhere. Stored files are kept, so the next try carries on where this one stopped.
  useEffect(() => {
    if (phase !== 'failed' || !auto) return;
    const again = () => void prepare();
    const timer = setTimeout(again, RETRY_AFTER_FAILURE_MS);
    addEventListener('online', again);
    return () => {
      clearTimeout(timer);
      removeEventListener('online', again);
    };
  }, [phase, auto, prepare]);

  return { manifest, done, phase, reason, prepare, clear, auto };
}

export function PrefetchPanel({ sessionId, classroomId, scheduled }: { sessionId: string; classroomId: string; scheduled: boolean }) {
  const t = useT();
  const { manifest, done, phase, reason, prepare, clear, auto } = usePrefetch(`/classroom/sessions/${sessionId}/prefetch?classroom=${classroomId}`, scheduled);
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
            {phase === 'failed' ? ` ${t(auto ? 'prefetch.failedRetrying' : 'prefetch.failed', { reason: t(`prefetch.reason.${reason.kind}`, { status: reason.status ?? '', seconds: STALL_MS / 1000 }) })}` : null}
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
