import { useEffect, useRef, useState } from 'react';
import type { Upload } from 'tus-js-client';
import { useT } from '../i18n/i18n.js';

type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; sent: number; total: number; resumedAt: number | null }
  | { kind: 'paused'; sent: number; total: number }
  /** `network`: no answer came (offline, a dropped line), so it resumes by itself once back online. */
  | { kind: 'failed'; sent: number; total: number; reason: string; network: boolean }
  | { kind: 'done' };

const MB = 1024 * 1024;
const formatBytes = (n: number) => (n >= 1024 * MB ? `${(n / 1024 / MB).toFixed(2)} GB` : `${(n / MB).toFixed(1)} MB`);
const percent = (sent: number, total: number) => (total ? Math.floor((sent / total) * 100) : 0);

/**
 * Resumable upload with tus: chunks of 8 MB, retries on a flaky line, and after a reload
 * the same file picks up from the last byte the server kept (tus-js-client remembers the
 * upload URL in localStorage by the file's name, size and date).
 */
export function UploadPanel({ lessonId, onUploaded }: { lessonId: string; onUploaded: () => void }) {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const upload = useRef<Upload | null>(null);
  useEffect(() => () => void upload.current?.abort(), []);

  async function start() {
    if (!file) return;
    const { Upload } = await import('tus-js-client');
    // Set while resuming an earlier upload: the server's answer to tus's HEAD says where it
    // stopped, which the teacher is told (the bar would otherwise just jump ahead).
    let resuming = false;
    const u = new Upload(file, {
      endpoint: '/uploads/tus',
      chunkSize: 8 * MB,
      retryDelays: [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000],
      removeFingerprintOnSuccess: true,
      metadata: { lessonId, filename: file.name, filetype: file.type },
      onProgress: (sent, total) =>
        setState((s) => ({ kind: 'uploading', sent, total, resumedAt: s.kind === 'uploading' ? s.resumedAt : null })),
      onAfterResponse: (req, res) => {
        if (!resuming) return;
        resuming = false;
        const offset = Number(res.getHeader('Upload-Offset'));
        // A refused HEAD (the upload expired) means tus starts again from 0: nothing to say.
        if (req.getMethod() !== 'HEAD' || res.getStatus() !== 200 || !(offset > 0)) return;
        setState((s) => (s.kind === 'uploading' ? { ...s, sent: Math.max(s.sent, offset), resumedAt: offset } : s));
      },
      onSuccess: () => {
        setState({ kind: 'done' });
        onUploaded();
      },
      onError: (error) => {
        // tus-js-client gives the server's answer with its DetailedError; none means the line.
        const answered = 'originalResponse' in error && Boolean(error.originalResponse);
        setState((s) => ({ kind: 'failed', sent: 'sent' in s ? s.sent : 0, total: file.size, reason: error.message.split('\n')[0] ?? '', network: !answered }));
      },
    });
    const previous = await u.findPreviousUploads();
    if (previous[0]) {
      u.resumeFromPreviousUpload(previous[0]);
      resuming = true;
      setState({ kind: 'uploading', sent: 0, total: file.size, resumedAt: null });
    }
    upload.current = u;
    u.start();
    setState((s) => (s.kind === 'uploading' ? s : { kind: 'uploading', sent: 0, total: file.size, resumedAt: null }));
  }

  // tus-js-client does not retry while the browser is offline: when the line comes back,
  // carry on from the last byte the server kept, without waiting for the teacher.
  const startRef = useRef(start);
  startRef.current = start;
  const resumesOnline = state.kind === 'failed' && state.network;
  useEffect(() => {
    if (!resumesOnline) return;
    const onOnline = () => void startRef.current();
    window.addEventListener('online', onOnline, { once: true });
    return () => window.removeEventListener('online', onOnline);
  }, [resumesOnline]);

  function pause() {
    void upload.current?.abort();
    setState((s) => (s.kind === 'uploading' ? { kind: 'paused', sent: s.sent, total: s.total } : s));
  }

  const progress = 'sent' in state ? state : null;
  return (
    <section className="panel" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('studio.upload.title')}</h2>
      <p className="hint" id="upload-hint">
        {t('studio.upload.hint')}
      </p>
      <div className="field">
        <label htmlFor="lecture-file">{t('studio.upload.file')}</label>
        <input
          id="lecture-file"
          type="file"
          accept="video/*,audio/*"
          aria-describedby="upload-hint"
          disabled={state.kind === 'uploading'}
          onChange={(e) => {
            setFile(e.currentTarget.files?.[0] ?? null);
            setState({ kind: 'idle' });
          }}
        />
      </div>
      {state.kind === 'uploading' ? (
        <button type="button" className="button secondary" onClick={pause}>
          {t('studio.upload.pause')}
        </button>
      ) : (
        <button type="button" className="button" disabled={!file || state.kind === 'done'} onClick={() => void start()}>
          {state.kind === 'paused' || state.kind === 'failed' ? t('studio.upload.resume') : t('studio.upload.start')}
        </button>
      )}
      {progress ? (
        <div className="upload-progress">
          <progress max={progress.total} value={progress.sent} aria-label={t('studio.upload.title')} />
          <p role="status" aria-live="polite">
            {t('studio.upload.progress', { percent: percent(progress.sent, progress.total), sent: formatBytes(progress.sent), total: formatBytes(progress.total) })}
          </p>
          {state.kind === 'uploading' && state.resumedAt !== null ? <p className="hint">{t('studio.upload.resumed', { percent: percent(state.resumedAt, state.total) })}</p> : null}
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <p className="notice warn" role="alert">
          {state.network ? t('studio.upload.offline', { percent: percent(state.sent, state.total) }) : t('studio.upload.failed', { reason: state.reason })}
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <p className="notice ok" role="status">
          {t('studio.upload.done')}
        </p>
      ) : null}
    </section>
  );
}
