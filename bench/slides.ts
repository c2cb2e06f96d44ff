// npm run bench:slides — bytes per slide page in each candidate image format at 1280 px
// (the figures behind decision 023), and render time per page of the worker's pipeline
// (fenced pdftoppm + three WebP encodes) against plain pdftoppm PNG as the baseline, both
// measured in this run. Last line: JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSlidePdf, lessonSlides, writePdf } from '../media/pdf-fixture.js';
import { detectPdfFence, PAGE_PIXELS, renderPdfPage } from '../media/pdf-pages.js';
import { timePhase } from './cpu-load.js';

const PAGES = Number(process.env.BENCH_SLIDE_PAGES ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'edu-bench-slides-'));

/** A photo-like page: a smooth gradient with grain, drawn as one inline RGB image over the page. */
function photoPdf(pages: number): Buffer {
  const w = 320;
  const h = 180;
  let seed = 7;
  const noise = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 24) - 12;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      px[i] = Math.max(0, Math.min(255, 40 + (x * 180) / w + noise()));
      px[i + 1] = Math.max(0, Math.min(255, 90 + (y * 120) / h + noise()));
      px[i + 2] = Math.max(0, Math.min(255, 160 - (x * 60) / w + noise()));
    }
  const image = `q 960 0 0 540 0 0 cm BI /W ${w} /H ${h} /BPC 8 /CS /RGB ID\n${px.toString('latin1')}\nEI Q`;
  return writePdf(Array.from({ length: pages }, () => ({ width: 960, height: 540, content: image })));
}

const size = (f: string) => statSync(f).size;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const avgKb = (xs: number[]) => Math.round((sum(xs) / xs.length / 1024) * 10) / 10;

function formats(pdf: string, tag: string) {
  const out = join(dir, tag);
  execFileSync('mkdir', ['-p', out]);
  const scale = ['-scale-to', String(PAGE_PIXELS)];
  execFileSync('pdftoppm', [...scale, '-png', pdf, join(out, 'png')]);
  execFileSync('pdftoppm', [...scale, '-jpeg', '-jpegopt', 'quality=80', pdf, join(out, 'jpg80')]);
  execFileSync('pdftoppm', [...scale, '-jpeg', '-jpegopt', 'quality=60', pdf, join(out, 'jpg60')]);
  const pngs = readdirSync(out).filter((f) => f.startsWith('png')).sort();
  const bytes: Record<string, number[]> = { png: [], jpeg80: [], jpeg60: [], webpLossless: [], webp80: [], chosen: [] };
  for (const png of pngs) {
    const n = png.slice(4, -4);
    const src = join(out, png);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', src, '-c:v', 'libwebp', '-lossless', '1', '-compression_level', '4', join(out, `l${n}.webp`), '-c:v', 'libwebp', '-quality', '80', join(out, `q${n}.webp`)]);
    bytes.png!.push(size(src));
    bytes.jpeg80!.push(size(join(out, `jpg80-${n}.jpg`)));
    bytes.jpeg60!.push(size(join(out, `jpg60-${n}.jpg`)));
    bytes.webpLossless!.push(size(join(out, `l${n}.webp`)));
    bytes.webp80!.push(size(join(out, `q${n}.webp`)));
    bytes.chosen!.push(Math.min(size(join(out, `l${n}.webp`)), size(join(out, `q${n}.webp`))));
  }
  return Object.fromEntries(Object.entries(bytes).map(([k, v]) => [k, avgKb(v)])) as Record<string, number>;
}

async function main() {
  const text = join(dir, 'text.pdf');
  const photo = join(dir, 'photo.pdf');
  writeFileSync(text, buildSlidePdf(lessonSlides(PAGES)));
  writeFileSync(photo, photoPdf(Math.min(PAGES, 5)));
  const textKb = formats(text, 'text');
  const photoKb = formats(photo, 'photo');
  console.log(`KB per page at ${PAGE_PIXELS} px (text slides, ${PAGES} pages):`, textKb);
  console.log(`KB per page at ${PAGE_PIXELS} px (photo-like page):`, photoKb);

  const fence = detectPdfFence();
  const baseline = await timePhase(async () => {
    for (let p = 1; p <= PAGES; p++) execFileSync('pdftoppm', ['-f', String(p), '-l', String(p), '-singlefile', '-scale-to', String(PAGE_PIXELS), '-png', text, join(dir, 'base')]);
  });
  const thumbs: number[] = [];
  const pipeline = await timePhase(async () => {
    for (let p = 1; p <= PAGES; p++) thumbs.push((await renderPdfPage(text, p, join(dir, 'text'), { fence })).thumbBytes);
  });
  const perPage = (s: number) => Math.round((s / PAGES) * 1000);
  console.log(`render: baseline pdftoppm PNG ${perPage(baseline.timing.wallSeconds)} ms/page; our fenced pipeline ${perPage(pipeline.timing.wallSeconds)} ms/page (other processes ${pipeline.timing.othersCores} cores)`);
  const lessonMb = (kb: number) => Math.round(((kb * 40) / 1024) * 100) / 100;
  const result = {
    pagePixels: PAGE_PIXELS,
    pages: PAGES,
    textKbPerPage: textKb,
    photoKbPerPage: photoKb,
    thumbKbPerPage: avgKb(thumbs),
    fortyPageDeckMb: { png: lessonMb(textKb.png!), jpeg80: lessonMb(textKb.jpeg80!), chosen: lessonMb(textKb.chosen!) },
    renderMsPerPage: { baselinePng: perPage(baseline.timing.wallSeconds), pipeline: perPage(pipeline.timing.wallSeconds) },
    fence,
    othersCores: Math.max(baseline.timing.othersCores, pipeline.timing.othersCores),
  };
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(result));
}

await main();
