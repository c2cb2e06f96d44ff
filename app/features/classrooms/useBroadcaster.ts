import { useCallback, useEffect, useRef, useState } from 'react';
import { reconnectDelay } from './backoff.js';
import { liveChunkPath, livePath } from './live-commands.js';

/** MediaRecorder timeslice: each chunk adds at most this much delay before it can travel. */
export const TIMESLICE_MS = 250;
/** A chunk is retried this many times (about 2 s in all, within the packager's gap wait). */
const CHUNK_ATTEMPTS = 4;
/**
 * A request that gets no answer is given up after this and counts as failed (a chunk is
 * then retried). A stalled connection otherwise holds a fetch for minutes, and going off
 * air waits for every chunk in flight. A chunk is a quarter second of sound (a few KB):
 * one not through in 5 s is late for the live picture anyway.
 */
export const LIVE_REQUEST_TIMEOUT_MS = 15_000;
const CHUNK_TIMEOUT_MS = 5_000;
/** The camera picture: low, since it becomes a 240p/15 fps rung anyway. */
const CAMERA = { width: { ideal: 320 }, height: { ideal: 240 }, frameRate: { ideal: 15, max: 15 } };

export type BroadcastPhase = 'idle' | 'starting' | 'live' | 'stopping' | 'stopped';
export type BroadcastError = 'permission' | 'no-device' | 'unsupported' | 'server' | 'upload';

function mimeTypeFor(camera: boolean): string | undefined {
  const wanted = camera ? ['video/webm;codecs=vp8,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm'];
  return wanted.find((m) => MediaRecorder.isTypeSupported(m));
}

function mediaError(e: unknown): BroadcastError {
  const name = e instanceof Error ? e.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'no-device';
  return 'unsupported';
}

/**
 * The teacher's microphone (and camera) to the server: MediaRecorder WebM in 250 ms
 * chunks, each POSTed with its number and retried with backoff (the server stores a
 * number once, so a retry is harmless). Also measures the microphone level for the meter.
 */
export function useBroadcaster(sessionId: string, csrf: string) {
  const [phase, setPhase] = useState<BroadcastPhase>('idle');
  const [error, setError] = useState<BroadcastError | null>(null);
  const [level, setLevel] = useState(0);
  const [backlog, setBacklog] = useState(0);
  const run = useRef<{ stream: MediaStream; recorder: MediaRecorder; audio: AudioContext; broadcastId: string; seq: number; uploads: Promise<void>[]; meter: number } | null>(null);

  const sendChunk = useCallback(
    async (broadcastId: string, seq: number, blob: Blob) => {
      setBacklog((n) => n + 1);
      try {
        for (let attempt = 0; attempt < CHUNK_ATTEMPTS; attempt++) {
          const res = await fetch(liveChunkPath(sessionId, broadcastId, seq), {
            method: 'POST',
            body: blob,
            headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrf },
            signal: AbortSignal.timeout(CHUNK_TIMEOUT_MS),
          }).catch(() => null);
          if (res && res.status < 300) return;
          if (res && res.status < 500 && res.status !== 429) break;
          await new Promise((r) => setTimeout(r, reconnectDelay(attempt) / 4));
        }
        setError('upload');
      } finally {
        setBacklog((n) => n - 1);
      }
    },
    [sessionId, csrf],
  );

  const post = useCallback(
    async (fields: Record<string, string>) => {
      const body = new FormData();
      body.set('csrf', csrf);
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      const res = await fetch(livePath(sessionId), { method: 'POST', body, signal: AbortSignal.timeout(LIVE_REQUEST_TIMEOUT_MS) });
      return { ok: res.ok, body: (await res.json().catch(() => ({}))) as { broadcastId?: string } };
    },
    [sessionId, csrf],
  );

  const start = useCallback(
    async (camera: boolean) => {
      setError(null);
      if (typeof MediaRecorder === 'undefined' || !navigator.mediaDevices?.getUserMedia) return setError('unsupported');
      setPhase('starting');
      let stream: MediaStream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true }, video: camera ? CAMERA : false });
      } catch (e) {
        setPhase('idle');
        return setError(mediaError(e));
      }
      const mimeType = mimeTypeFor(camera && stream.getVideoTracks().length > 0);
      const started = await post({ intent: 'live-start', camera: camera && stream.getVideoTracks().length > 0 ? '1' : '0' }).catch(() => null);
      if (!started?.ok || !started.body.broadcastId) {
        stream.getTracks().forEach((track) => track.stop());
        setPhase('idle');
        return setError('server');
      }
      const broadcastId = started.body.broadcastId;
      const recorder = new MediaRecorder(stream, { mimeType, audioBitsPerSecond: 32_000, videoBitsPerSecond: 250_000 });
      const audio = new AudioContext();
      const analyser = audio.createAnalyser();
      analyser.fftSize = 512;
      audio.createMediaStreamSource(stream).connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      const meter = window.setInterval(() => {
        analyser.getFloatTimeDomainData(samples);
        const rms = Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / samples.length);
        setLevel(Math.min(1, rms * 4));
      }, 100);
      const current = { stream, recorder, audio, broadcastId, seq: 0, uploads: [] as Promise<void>[], meter };
      recorder.ondataavailable = (e) => {
        if (e.data.size === 0) return;
        current.uploads.push(sendChunk(broadcastId, current.seq++, e.data));
      };
      recorder.start(TIMESLICE_MS);
      run.current = current;
      setPhase('live');
    },
    [post, sendChunk],
  );

  const stop = useCallback(async () => {
    const current = run.current;
    if (!current) return;
    setPhase('stopping');
    const flushed = new Promise((r) => current.recorder.addEventListener('stop', r, { once: true }));
    current.recorder.stop();
    await flushed;
    current.stream.getTracks().forEach((track) => track.stop());
    clearInterval(current.meter);
    void current.audio.close();
    setLevel(0);
    await Promise.allSettled(current.uploads);
    run.current = null;
    const stopped = await post({ intent: 'live-stop', broadcastId: current.broadcastId, lastChunk: String(current.seq - 1) }).catch(() => null);
    if (!stopped?.ok) setError('server');
    setPhase('stopped');
  }, [post]);

  // Leaving the page ends the capture; the server ends the broadcast when the chunks stop.
  useEffect(
    () => () => {
      const current = run.current;
      if (!current) return;
      current.recorder.stop();
      current.stream.getTracks().forEach((track) => track.stop());
      clearInterval(current.meter);
      void current.audio.close();
    },
    [],
  );

  return { phase, error, level, backlog, start, stop };
}
