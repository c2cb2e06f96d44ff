// Downloads for slow, shared links (a rural classroom's uplink). A fixed time limit is wrong
// for a download: a 5 MB slide deck takes minutes at 100 kbit/s and is still healthy. What
// is wrong is a connection that stops delivering: no answer, or no new bytes, for
// `stallMs`. That attempt is abandoned and the file asked for again, with backoff. Works in
// the browser and in Node (both have fetch and ReadableStream).
import { reconnectDelay } from './classrooms/backoff.js';

export interface PatientFetchOptions {
  /** Give an attempt up when the answer or the next bytes take longer than this. */
  stallMs: number;
  /** Attempts in all (the first included). */
  attempts: number;
  init?: RequestInit;
  /** Bytes received so far in the current attempt (0 again when an attempt starts over). */
  onProgress?: (bytes: number) => void;
  /** Wait before attempt n (1-based retries); reconnectDelay by default. */
  retryDelay?: (retry: number) => number;
  /** Stops the download (and any wait) for good. */
  signal?: AbortSignal;
}

/** Why the last attempt failed, for a message in the reader's language. */
export type DownloadFailure = 'network' | 'stalled' | 'refused' | 'server';

export class DownloadError extends Error {
  constructor(
    message: string,
    /** `refused` is final (asking again would not change it); the others are retried. */
    readonly kind: DownloadFailure,
    /** The HTTP status of a refusal or server error. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** An HTTP error answer: 5xx, 408 and 429 may pass if asked again; another 4xx is a refusal. */
export function httpFailure(status: number): DownloadFailure {
  return status >= 500 || status === 408 || status === 429 ? 'server' : 'refused';
}

export interface PatientDownload {
  status: number;
  headers: Headers;
  body: Uint8Array<ArrayBuffer>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });

async function attempt(url: string, options: PatientFetchOptions): Promise<PatientDownload> {
  const controller = new AbortController();
  const stop = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  let stalled = false;
  const arm = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      stalled = true;
      controller.abort();
    }, options.stallMs);
  };
  try {
    arm();
    const res = await fetch(url, { ...options.init, signal: controller.signal });
    if (!res.ok) {
      void res.body?.cancel().catch(() => {});
      throw new DownloadError(`HTTP ${res.status}`, httpFailure(res.status), res.status);
    }
    const parts: Uint8Array[] = [];
    let received = 0;
    options.onProgress?.(0);
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        arm();
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        received += value.byteLength;
        options.onProgress?.(received);
      }
    }
    const body = new Uint8Array(received);
    let at = 0;
    for (const part of parts) {
      body.set(part, at);
      at += part.byteLength;
    }
    return { status: res.status, headers: res.headers, body };
  } catch (e) {
    if (stalled) throw new DownloadError(`no data for ${options.stallMs / 1000} s`, 'stalled');
    throw e;
  } finally {
    clearTimeout(watchdog);
    options.signal?.removeEventListener('abort', stop);
  }
}

/**
 * Fetches `url` whole. Network failures, stalls and 5xx/408/429 answers are retried up to
 * `attempts` in all; another 4xx (a refusal) is thrown at once, as is the caller's abort.
 */
export async function fetchPatiently(url: string, options: PatientFetchOptions): Promise<PatientDownload> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(url, options);
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      const final = e instanceof DownloadError && e.kind === 'refused';
      if (final || n >= options.attempts) throw e instanceof DownloadError ? e : new DownloadError(e instanceof Error ? e.message : String(e), 'network');
      await sleep((options.retryDelay ?? ((r) => reconnectDelay(r - 1)))(n), options.signal);
    }
  }
}
