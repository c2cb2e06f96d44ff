import { spawnSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FfmpegToolError, runFfmpegTool } from './ffmpeg-safety.js';

/**
 * Slide pages from a teacher's PDF. PDFs are hostile input: the type is decided by the
 * magic bytes, size and page count are limited before anything is rendered, and poppler
 * runs fenced (see `fence`): a memory cap, a CPU and wall-clock limit, no network, a small
 * file-descriptor and output-size cap, killed with the worker. Decision 023 has the page
 * format and the bytes measured.
 */
export const PDF_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 200,
  /** A page's long side in points (A0 is 3370): beyond this it is a poster, not a slide. */
  maxPagePoints: 3400,
  /** Per page; a text slide renders in ~0.1 s, a heavy scanned page in ~2 s. */
  pageTimeoutMs: 20_000,
  infoTimeoutMs: 10_000,
  /** Address space of one poppler process: a 1280 px page needs ~40 MB. */
  memoryBytes: 512 * 1024 * 1024,
} as const;
export type PdfLimits = { [K in keyof typeof PDF_LIMITS]: number };

/** Long side of a page image (a projector or classroom TV) and of a console thumbnail. */
export const PAGE_PIXELS = 1280;
export const THUMB_PIXELS = 320;

export type PdfRejection =
  | { code: 'not-pdf' }
  | { code: 'empty' }
  | { code: 'too-big'; params: { maxMb: number } }
  | { code: 'unreadable' }
  | { code: 'too-many-pages'; params: { max: number; pages: number } }
  | { code: 'page-too-large'; params: { page: number } }
  | { code: 'render-timeout'; params: { page: number; seconds: number } }
  | { code: 'render-failed'; params: { page: number } };

/** `%PDF-` at the start, as every PDF writer puts it (the spec's 1 KB of leeway is not taken). */
export function looksLikePdf(head: Uint8Array): boolean {
  return [0x25, 0x50, 0x44, 0x46, 0x2d].every((b, i) => head[i] === b);
}

/** The checks that need only the bytes' start and the size. */
export function checkPdfUpload(head: Uint8Array, size: number, limits: Pick<PdfLimits, 'maxBytes'> = PDF_LIMITS): PdfRejection | null {
  if (size === 0) return { code: 'empty' };
  if (size > limits.maxBytes) return { code: 'too-big', params: { maxMb: Math.round(limits.maxBytes / 1024 / 1024) } };
  if (!looksLikePdf(head)) return { code: 'not-pdf' };
  return null;
}

export type PdfInfo = { pages: number; pageSizes: { width: number; height: number }[] };

/** Parses `pdfinfo -f 1 -l N` output: the page count and each page's size in points. */
export function parsePdfInfo(text: string): PdfInfo | null {
  const pages = /^Pages:\s+(\d+)\s*$/m.exec(text);
  if (!pages) return null;
  const pageSizes = [...text.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
  return { pages: Number(pages[1]), pageSizes };
}

/** What rendering must refuse, given what pdfinfo said. */
export function checkPdfInfo(info: PdfInfo | null, limits: Pick<PdfLimits, 'maxPages' | 'maxPagePoints'> = PDF_LIMITS): PdfRejection | null {
  if (!info || info.pages < 1) return { code: 'unreadable' };
  if (info.pages > limits.maxPages) return { code: 'too-many-pages', params: { max: limits.maxPages, pages: info.pages } };
  const big = info.pageSizes.findIndex((s) => Math.max(s.width, s.height) > limits.maxPagePoints);
  if (big >= 0) return { code: 'page-too-large', params: { page: big + 1 } };
  return null;
}

export type Fence = { prlimit: boolean; unshareNet: boolean; pdeathsig: boolean };

/**
 * The command line that runs `bin` fenced: setpriv kills it with the worker, prlimit caps
 * memory, CPU seconds, open files and the size of any file it writes, and `unshare -rn`
 * gives it a network namespace with no interfaces. Each wrapper is used where it exists.
 */
export function fence(bin: string, args: string[], f: Fence, limits: { memoryBytes: number; cpuSeconds: number; maxFileBytes: number }): { bin: string; args: string[] } {
  let cmd = [bin, ...args];
  if (f.unshareNet) cmd = ['unshare', '--map-root-user', '--net', '--', ...cmd];
  if (f.prlimit) cmd = ['prlimit', `--as=${limits.memoryBytes}`, `--cpu=${limits.cpuSeconds}`, '--nofile=64', `--fsize=${limits.maxFileBytes}`, '--', ...cmd];
  if (f.pdeathsig) cmd = ['setpriv', '--pdeathsig', 'KILL', '--', ...cmd];
  return { bin: cmd[0]!, args: cmd.slice(1) };
}

const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 5_000 }).status === 0;

/**
 * Which fences this machine offers: prlimit and setpriv come with util-linux; `unshare -rn`
 * needs unprivileged user namespaces, which some kernels switch off (the worker then logs
 * that the renderer has the network, see decision 023).
 */
export function detectPdfFence(): Fence {
  return { prlimit: works('prlimit', ['--version']), unshareNet: works('unshare', ['--map-root-user', '--net', '--', 'true']), pdeathsig: works('setpriv', ['--version']) };
}

export type RenderOptions = { fence: Fence; limits?: PdfLimits; ffmpegBin?: string; signal?: AbortSignal };

const fenceLimits = (limits: PdfLimits, timeoutMs: number) => ({ memoryBytes: limits.memoryBytes, cpuSeconds: Math.ceil(timeoutMs / 1000), maxFileBytes: 64 * 1024 * 1024 });

/** pdfinfo's answer about a file, or null when poppler cannot read it (broken, encrypted, not a PDF). */
export async function readPdfInfo(pdfPath: string, o: RenderOptions): Promise<PdfInfo | null> {
  const limits = o.limits ?? PDF_LIMITS;
  // Only the sizes of the first pages we would render: a hostile page count is refused from "Pages:".
  const cmd = fence('pdfinfo', ['-f', '1', '-l', String(limits.maxPages), '--', resolve(pdfPath)], o.fence, fenceLimits(limits, limits.infoTimeoutMs));
  try {
    const { stdout } = await runFfmpegTool({ ...cmd, timeoutMs: limits.infoTimeoutMs, signal: o.signal });
    return parsePdfInfo(stdout);
  } catch (error) {
    if (error instanceof FfmpegToolError && (error.failure === 'exit-code' || error.failure === 'timeout')) return null;
    throw error;
  }
}

export type RenderedPage = { page: string; thumb: string; pageBytes: number; thumbBytes: number };

/**
 * One page as a WebP at PAGE_PIXELS on its long side, lossless or lossy (q80), whichever
 * is smaller (text slides: lossless; photos: lossy), and a lossy THUMB_PIXELS thumbnail.
 * Throws a PdfRejection-carrying error when the page breaks a limit.
 */
export async function renderPdfPage(pdfPath: string, page: number, outDir: string, o: RenderOptions): Promise<RenderedPage> {
  const limits = o.limits ?? PDF_LIMITS;
  const n = String(page).padStart(3, '0');
  const png = join(outDir, `render-${n}`);
  const cmd = fence('pdftoppm', ['-f', String(page), '-l', String(page), '-singlefile', '-scale-to', String(PAGE_PIXELS), '-png', '--', resolve(pdfPath), png], o.fence, fenceLimits(limits, limits.pageTimeoutMs));
  try {
    await runFfmpegTool({ ...cmd, timeoutMs: limits.pageTimeoutMs, signal: o.signal });
  } catch (error) {
    if (error instanceof FfmpegToolError && error.failure === 'timeout') throw new PdfRejectedError({ code: 'render-timeout', params: { page, seconds: limits.pageTimeoutMs / 1000 } });
    if (error instanceof FfmpegToolError && error.failure === 'exit-code') throw new PdfRejectedError({ code: 'render-failed', params: { page } });
    throw error;
  }
  const lossless = join(outDir, `lossless-${n}.webp`);
  const lossy = join(outDir, `lossy-${n}.webp`);
  const thumb = join(outDir, `thumb-${n}.webp`);
  // One decode, three encodes. png_pipe reads exactly one picture (image2 would honour patterns).
  await runFfmpegTool({
    bin: o.ffmpegBin ?? 'ffmpeg',
    args: ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-protocol_whitelist', 'file', '-f', 'png_pipe', '-i', `file:${png}.png`,
      '-map', '0', '-c:v', 'libwebp', '-lossless', '1', '-compression_level', '4', lossless,
      '-map', '0', '-c:v', 'libwebp', '-quality', '80', lossy,
      '-map', '0', '-vf', `scale=w=${THUMB_PIXELS}:h=${THUMB_PIXELS}:force_original_aspect_ratio=decrease`, '-c:v', 'libwebp', '-quality', '60', thumb],
    timeoutMs: limits.pageTimeoutMs,
    signal: o.signal,
  });
  const [a, b, t] = await Promise.all([lossless, lossy, thumb].map((f) => stat(f).then((s) => s.size)));
  const smaller = a! <= b! ? lossless : lossy;
  return { page: smaller, thumb, pageBytes: Math.min(a!, b!), thumbBytes: t! };
}

export class PdfRejectedError extends Error {
  override name = 'PdfRejectedError';
  constructor(readonly rejection: PdfRejection) {
    super(`PDF rejected: ${rejection.code}`);
  }
}
