import type { Readable } from 'node:stream';

// Published lecture media (HLS ladders, posters, seek thumbnails) behind one interface:
// local disk under MEDIA_ROOT by default, or an S3-compatible bucket for deployments
// whose nodes share no file system. Keys are relative paths such as
// `videos/<id>/hls/240p/index.m3u8`; what a key may look like is checked here, once.

/** A single byte range as HTTP sends it: `bytes=a-b`, `bytes=a-` or `bytes=-n`. */
export type ByteRange = { start: number; end?: number } | { suffix: number };

export type StoredObject = {
  body: Readable;
  /** Size of the whole object, whatever range was asked for. */
  size: number;
  /** First and last byte sent (inclusive). */
  start: number;
  end: number;
  contentType: string;
  etag: string | null;
  lastModified: Date | null;
};

export type ListedObject = { key: string; size: number };

export interface MediaStorage {
  readonly kind: 'local' | 's3';
  /** Stores one object; readers see the old object or the new one, never a part. */
  put(key: string, body: Buffer | { file: string }): Promise<void>;
  /** The object (or the part of it asked for), or null when there is none. */
  read(key: string, range?: ByteRange): Promise<StoredObject | null>;
  /** Every object under the prefix (a folder-like prefix ending in `/`). */
  list(prefix: string): Promise<ListedObject[]>;
  remove(keys: readonly string[]): Promise<void>;
  /** Removes everything under the prefix; returns how many objects went. */
  removePrefix(prefix: string): Promise<number>;
}

/** Thrown by read() when the range starts beyond the object's end (HTTP 416). */
export class RangeNotSatisfiableError extends Error {
  constructor(readonly size: number) {
    super(`range not satisfiable (object is ${size} bytes)`);
  }
}

const KEY = /^[\w-]+(\/[\w.-]+)*$/;

/** Keys are plain relative paths: no `..`, no leading dot or slash, no backslashes. */
export function assertStorageKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((part) => part.startsWith('.'))) throw new Error(`not a valid media storage key: ${JSON.stringify(key)}`);
  return key;
}

export function assertStoragePrefix(prefix: string): string {
  if (!prefix.endsWith('/')) throw new Error(`a storage prefix ends with /: ${JSON.stringify(prefix)}`);
  assertStorageKey(prefix.slice(0, -1));
  return prefix;
}

const contentTypes: Record<string, string> = {
  m3u8: 'application/vnd.apple.mpegurl',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  pdf: 'application/pdf',
  vtt: 'text/vtt; charset=utf-8',
};

export function contentTypeOf(key: string): string {
  return contentTypes[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
}

/** Parses a Range header; null (serve the whole object) for anything but one well-formed byte range. */
export function parseByteRange(header: string | undefined): ByteRange | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match) return null;
  const [, from, to] = match as unknown as [string, string, string];
  if (from === '' && to === '') return null;
  if (from === '') return Number(to) > 0 ? { suffix: Number(to) } : null;
  if (to !== '' && Number(to) < Number(from)) return null;
  return to === '' ? { start: Number(from) } : { start: Number(from), end: Number(to) };
}

/** Inclusive first and last byte of a range within an object of `size` bytes. */
export function resolveByteRange(range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  if ('suffix' in range) {
    if (size === 0) throw new RangeNotSatisfiableError(size);
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  if (range.start >= size) throw new RangeNotSatisfiableError(size);
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** The HTTP Range header value for a parsed range (S3 takes the same syntax). */
export function formatByteRange(range: ByteRange): string {
  return 'suffix' in range ? `bytes=-${range.suffix}` : `bytes=${range.start}-${range.end ?? ''}`;
}
