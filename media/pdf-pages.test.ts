import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSlidePdf, lessonSlides, writePdf } from './pdf-fixture.js';
import { checkPdfInfo, checkPdfUpload, detectPdfFence, fence, parsePdfInfo, PAGE_PIXELS, PDF_LIMITS, PdfRejectedError, readPdfInfo, renderPdfPage } from './pdf-pages.js';

const dir = mkdtempSync(join(tmpdir(), 'edu-pdf-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fenced = detectPdfFence();

describe('PDF checks before anything is rendered', () => {
  it('decides the type by the magic bytes and refuses empty and oversized files with the limit', () => {
    const pdf = buildSlidePdf(lessonSlides(1));
    expect(checkPdfUpload(pdf, pdf.length)).toBeNull();
    expect(checkPdfUpload(Buffer.from('<html>%PDF-'), 11)).toEqual({ code: 'not-pdf' });
    expect(checkPdfUpload(Buffer.alloc(0), 0)).toEqual({ code: 'empty' });
    expect(checkPdfUpload(pdf, PDF_LIMITS.maxBytes + 1)).toEqual({ code: 'too-big', params: { maxMb: 20 } });
  });

  it('reads pdfinfo’s page count and sizes, and refuses too many pages or a poster-sized page', () => {
    const info = parsePdfInfo('Producer: x\nPages:           3\nPage    1 size: 960 x 540 pts\nPage    2 size: 595.276 x 841.89 pts (A4)\nPage    3 size: 5000 x 200 pts\n');
    expect(info).toEqual({ pages: 3, pageSizes: [{ width: 960, height: 540 }, { width: 595.276, height: 841.89 }, { width: 5000, height: 200 }] });
    expect(checkPdfInfo(info)).toEqual({ code: 'page-too-large', params: { page: 3 } });
    expect(checkPdfInfo({ pages: 201, pageSizes: [] })).toEqual({ code: 'too-many-pages', params: { max: 200, pages: 201 } });
    expect(checkPdfInfo({ pages: 0, pageSizes: [] })).toEqual({ code: 'unreadable' });
    expect(checkPdfInfo(parsePdfInfo('Syntax Error: broken'))).toEqual({ code: 'unreadable' });
  });

  it('wraps the renderer in setpriv, prlimit and a network namespace, outermost first', () => {
    const cmd = fence('pdftoppm', ['-png', 'a.pdf'], { prlimit: true, unshareNet: true, pdeathsig: true }, { memoryBytes: 1024, cpuSeconds: 5, maxFileBytes: 2048 });
    expect([cmd.bin, ...cmd.args].join(' ')).toBe('setpriv --pdeathsig KILL -- prlimit --as=1024 --cpu=5 --nofile=64 --fsize=2048 -- unshare --map-root-user --net -- pdftoppm -png a.pdf');
    expect(fence('pdfinfo', ['a'], { prlimit: false, unshareNet: false, pdeathsig: false }, { memoryBytes: 1, cpuSeconds: 1, maxFileBytes: 1 })).toEqual({ bin: 'pdfinfo', args: ['a'] });
  });
});

describe('the fence, for real', () => {
  it('this machine offers every fence (util-linux, user namespaces)', () => {
    expect(fenced).toEqual({ prlimit: true, unshareNet: true, pdeathsig: true });
  });

  it('leaves the renderer only a loopback interface (no network)', () => {
    const cmd = fence('cat', ['/proc/net/dev'], fenced, { memoryBytes: 256 * 1024 * 1024, cpuSeconds: 5, maxFileBytes: 1024 });
    const interfaces = execFileSync(cmd.bin, cmd.args, { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0]);
    expect(interfaces).toEqual(['lo']);
  });

  it('caps the renderer’s memory', () => {
    const cmd = fence('sh', ['-c', 'ulimit -v'], fenced, { memoryBytes: 256 * 1024 * 1024, cpuSeconds: 5, maxFileBytes: 1024 });
    expect(execFileSync(cmd.bin, cmd.args, { encoding: 'utf8' }).trim()).toBe(String(256 * 1024));
  });
});

describe('rendering pages', () => {
  it('renders a 16:9 text slide to a 1280 px WebP under 40 KB and a small thumbnail', async () => {
    const file = join(dir, 'deck.pdf');
    writeFileSync(file, buildSlidePdf(lessonSlides(2)));
    const info = await readPdfInfo(file, { fence: fenced });
    expect(info?.pages).toBe(2);
    const page = await renderPdfPage(file, 2, dir, { fence: fenced });
    const bytes = readFileSync(page.page);
    expect(bytes.subarray(0, 4).toString() + bytes.subarray(8, 12).toString()).toBe('RIFFWEBP');
    // VP8L (lossless) or VP8 (lossy) header carries the size; the width is PAGE_PIXELS either way.
    const width = bytes.subarray(12, 16).toString() === 'VP8L' ? 1 + (bytes.readUInt16LE(21) & 0x3fff) : bytes.readUInt16LE(26) & 0x3fff;
    expect(width).toBe(PAGE_PIXELS);
    expect(page.pageBytes).toBe(bytes.length);
    expect(page.pageBytes).toBeLessThan(40 * 1024);
    expect(page.thumbBytes).toBeLessThan(page.pageBytes);
  });

  it('a broken PDF is unreadable, not a crash; a page the memory cap stops is refused with its number', async () => {
    const broken = join(dir, 'broken.pdf');
    writeFileSync(broken, '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ngarbage');
    expect(checkPdfInfo(await readPdfInfo(broken, { fence: fenced }))).toEqual({ code: 'unreadable' });
    // An A0-sized page drawn at 1280 px needs ~10 MB; 16 MB of address space cannot even load poppler.
    const file = join(dir, 'one.pdf');
    writeFileSync(file, writePdf([{ width: 960, height: 540, content: '' }]));
    const tiny = { ...PDF_LIMITS, memoryBytes: 16 * 1024 * 1024 };
    const refused = await renderPdfPage(file, 1, dir, { fence: fenced, limits: tiny }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PdfRejectedError);
    expect((refused as PdfRejectedError).rejection).toEqual({ code: 'render-failed', params: { page: 1 } });
    const hurried = await renderPdfPage(file, 1, dir, { fence: fenced, limits: { ...PDF_LIMITS, pageTimeoutMs: 1 } }).catch((e: unknown) => e);
    expect((hurried as PdfRejectedError).rejection).toEqual({ code: 'render-timeout', params: { page: 1, seconds: 0.001 } });
  });
});
