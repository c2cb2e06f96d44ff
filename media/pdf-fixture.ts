/**
 * Slide-like PDFs written by hand (PDF 1.4, Helvetica, a correct xref table), so tests and
 * the benchmark need no committed binaries and no ImageMagick or LibreOffice: a 16:9 page
 * with a title bar, a heading and bullet lines, like a teacher's text slides.
 */
export type FixtureSlide = { title: string; lines: string[] };

const escapeText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, '?');

function pageContent(slide: FixtureSlide, n: number): string {
  const ops = [
    '0.12 0.31 0.55 rg 0 480 960 60 re f',
    '1 1 1 rg BT /F1 30 Tf 40 498 Td (' + escapeText(slide.title) + ') Tj ET',
    '0.1 0.1 0.1 rg',
    ...slide.lines.map((line, i) => `BT /F1 24 Tf 60 ${420 - i * 44} Td (- ${escapeText(line)}) Tj ET`),
    `0.4 0.4 0.4 rg BT /F1 14 Tf 880 20 Td (${n}) Tj ET`,
  ];
  return ops.join('\n');
}

export type FixturePage = { width: number; height: number; content: string };

/** A PDF whose pages draw `content` (PDF operators) with Helvetica as /F1. */
export function writePdf(pages: FixturePage[]): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages tree, filled in once the page numbers are known
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const kids: number[] = [];
  for (const page of pages) {
    add(`<< /Length ${Buffer.byteLength(page.content, 'latin1')} >>\nstream\n${page.content}\nendstream`);
    const contentId = objects.length;
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentId} 0 R >>`);
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A PDF with one 960 x 540 pt (16:9) page per slide. */
export function buildSlidePdf(slides: FixtureSlide[]): Buffer {
  return writePdf(slides.map((slide, i) => ({ width: 960, height: 540, content: pageContent(slide, i + 1) })));
}

/** `count` lesson-like text slides. */
export function lessonSlides(count: number): FixtureSlide[] {
  return Array.from({ length: count }, (_, i) => ({
    title: `Lesson 3 - Linear equations (${i + 1}/${count})`,
    lines: ['Solve 3x + 5 = 20 step by step', 'Subtract 5 from both sides: 3x = 15', 'Divide both sides by 3: x = 5', 'Check: 3 * 5 + 5 = 20', 'Practice: 7x - 4 = 24, 2(x + 3) = 14'],
  }));
}
