import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { buildSlidePdf, lessonSlides, writePdf } from '../../media/pdf-fixture.js';
import { PDF_LIMITS } from '../../media/pdf-pages.js';
import { FormClient } from '../support/browserless.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { waitFor } from '../support/processes.js';
import { SseReader } from '../support/sse.js';

const baseUrl = inject('baseUrl');
const teacher = new FormClient(baseUrl);
const assistant = new FormClient(baseUrl);
const student = new FormClient(baseUrl);
const otherAssistant = new FormClient(baseUrl);
let sessionId = '';

type Deck = { id: string; status: string; page_count: number | null; page_bytes: number[]; rejection: { code: string; params?: Record<string, number> } | null };

const upload = (content: Uint8Array, name = 'lesson.pdf', type = 'application/pdf') => teacher.postMultipart(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-upload' }, { file: { name, type, content } });

async function settledDeck(id: string): Promise<Deck> {
  let deck: Deck | undefined;
  await waitFor(async () => {
    [deck] = await testSql()<Deck[]>`select id, status, page_count, page_bytes, rejection from slide_decks where id = ${id}`;
    return deck !== undefined && deck.status !== 'queued' && deck.status !== 'rendering';
  }, 90_000, 'the deck to be rendered or refused');
  return deck!;
}

async function uploadedDeckId(res: Response): Promise<string> {
  expect(res.status).toBe(202);
  const html = await res.text();
  const [row] = await testSql()<{ id: string }[]>`select id from slide_decks where session_id = ${sessionId} order by created_at desc limit 1`;
  expect(html).toContain('data-testid="deck-status"');
  return row!.id;
}

beforeAll(async () => {
  sessionId = await newDemoSession();
  await teacher.login('teacher@demo.edu.cn', demoPassword);
  await assistant.login('assistant@demo.edu.cn', demoPassword);
  await student.login('student@demo.edu.cn', demoPassword);
  // An assistant at a school none of whose classrooms is scheduled (Minjiang University).
  const email = `assistant-slides-${Date.now()}@test.edu.cn`;
  const [hash] = await testSql()<{ password_hash: string }[]>`select password_hash from users where email = 'assistant@demo.edu.cn'`;
  const [u] = await testSql()<{ id: string }[]>`insert into users (email, display_name, pseudonym, password_hash) values (${email}, 'mju', ${`p-${Date.now()}`}, ${hash!.password_hash}) returning id`;
  await testSql()`insert into memberships (user_id, institution_id, role) select ${u!.id}, id, 'assistant' from institutions where slug = 'mju'`;
  expect((await otherAssistant.login(email, demoPassword)).status).toBe(302);
});
afterAll(closeTestSql);

describe('PDF slide pages', { timeout: 180_000 }, () => {
  let deckId = '';
  let pageUrl = '';

  it('a teacher uploads a PDF: the worker renders every page, the console follows, screens show the page image', async () => {
    deckId = await uploadedDeckId(await upload(buildSlidePdf(lessonSlides(3)), '第三讲.pdf'));
    const deck = await settledDeck(deckId);
    expect(deck.status).toBe('ready');
    expect(deck.page_count).toBe(3);
    expect(deck.page_bytes).toHaveLength(3);
    // Text slides at 1280 px are a few tens of KB at most (decision 023 has the figures).
    for (const b of deck.page_bytes) expect(b).toBeGreaterThan(1000);
    // Everyone hears of it through the log (no audience), so a reconnecting screen gets it too.
    const [event] = await testSql()`select payload from session_events where session_id = ${sessionId} and kind = 'deck' and payload->'deck'->>'status' = 'ready'`;
    expect(event!.payload).not.toHaveProperty('audience');

    // The teacher turns to page 2 (a plain form: "go to page"); the screen shows page 2's image.
    expect((await teacher.post(`/classroom/sessions/${sessionId}/console`, { intent: 'slide-page', page: '2' })).status).toBe(200);
    const screen = await (await assistant.get(`/classroom/sessions/${sessionId}/screen`)).text();
    const src = /<img[^>]*src="([^"]+)"[^>]*data-testid="slide-page"/.exec(screen)?.[1];
    expect(src).toMatch(new RegExp(`^/slides/${sessionId}/\\d+/[\\w-]+/${deckId}/page-002\\.webp$`));
    pageUrl = src!;
    const image = await assistant.get(pageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/webp');
    const bytes = new Uint8Array(await image.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 4)) + new TextDecoder().decode(bytes.subarray(8, 12))).toBe('RIFFWEBP');
    expect(bytes.length).toBe(deck.page_bytes[1]);
    // The console shows a thumbnail per page, each a "go to page" button.
    const console = await (await teacher.get(`/classroom/sessions/${sessionId}/console`)).text();
    expect(console.match(/thumb-00\d\.webp/g)).toHaveLength(3);
  });

  it('open streams hear of it live: the teacher page by page, every screen once it is ready', async () => {
    const open = async (who: FormClient) => new SseReader(await who.get(`/classroom/sessions/${sessionId}/events`));
    const console = await open(teacher);
    const screen = await open(assistant);
    await Promise.all([console.find((e) => e.event === 'snapshot'), screen.find((e) => e.event === 'snapshot')]);
    const id = await uploadedDeckId(await upload(buildSlidePdf(lessonSlides(2)), 'live.pdf'));
    const ready = (e: { event: string; data: string }) => e.event === 'deck' && (JSON.parse(e.data) as { deck?: { id: string } }).deck?.id === id;
    const seen = await screen.find(ready, { timeoutMs: 60_000 });
    expect(seen.id, 'a logged event: a reconnecting screen replays it').toMatch(/^\d+$/);
    await console.find(ready, { timeoutMs: 10_000 });
    const progress = console.events.filter((e) => e.event === 'deck' && (JSON.parse(e.data) as { upload?: { id: string; pagesDone: number } | null }).upload?.id === id);
    expect(progress.map((e) => (JSON.parse(e.data) as { upload: { pagesDone: number } }).upload.pagesDone)).toEqual([0, 1, 2]);
    // The teacher's upload and its progress are not the screens' business.
    expect(screen.events.filter((e) => e.event === 'deck' && !ready(e))).toEqual([]);
    await Promise.all([console.close(), screen.close()]);
  });

  it('picking a PDF the lesson already has among its materials renders it the same way', async () => {
    const [lesson] = await testSql()<{ lesson_id: string }[]>`select lesson_id from live_sessions where id = ${sessionId}`;
    const [m] = await testSql()<{ id: string }[]>`insert into lesson_materials (lesson_id, file_name, content_type, size_bytes, sha256) values (${lesson!.lesson_id}, 'notes.pdf', 'application/pdf', 1, 'x') returning id`;
    const pdf = buildSlidePdf(lessonSlides(2));
    const { mkdir, writeFile } = await import('node:fs/promises');
    const dir = `${inject('mediaRoot')}/materials/${lesson!.lesson_id}`;
    await mkdir(dir, { recursive: true });
    await writeFile(`${dir}/${m!.id}`, pdf);
    const res = await teacher.post(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-material', materialId: m!.id });
    const picked = await settledDeck(await uploadedDeckId(res));
    expect([picked.status, picked.page_count]).toEqual(['ready', 2]);
  });

  it('refuses a non-PDF (415), a PDF over the limit (413) and says why, storing nothing', async () => {
    const [before] = await testSql()`select count(*)::int as n from slide_decks where session_id = ${sessionId}`;
    const png = await upload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]), 'slides.pdf');
    expect(png.status).toBe(415);
    expect(await png.text()).toContain('这不是 PDF 文件');
    const big = Buffer.concat([buildSlidePdf(lessonSlides(1)), Buffer.alloc(PDF_LIMITS.maxBytes)]);
    const tooBig = await upload(big);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('超过 20 MB 的上限');
    const [after] = await testSql()`select count(*)::int as n from slide_decks where session_id = ${sessionId}`;
    expect(after).toEqual(before);
  });

  it('a broken PDF and one with too many pages are refused by the worker with the reason; the shown deck stays', async () => {
    const broken = await settledDeck(await uploadedDeckId(await upload(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref\n'))));
    expect([broken.status, broken.rejection]).toEqual(['rejected', { code: 'unreadable' }]);
    const blank = { width: 960, height: 540, content: '' };
    const many = await settledDeck(await uploadedDeckId(await upload(writePdf(Array.from({ length: PDF_LIMITS.maxPages + 1 }, () => blank)))));
    expect([many.status, many.rejection]).toEqual(['rejected', { code: 'too-many-pages', params: { max: PDF_LIMITS.maxPages, pages: PDF_LIMITS.maxPages + 1 } }]);
    const slidesPage = await (await teacher.get(`/classroom/sessions/${sessionId}/slides`)).text();
    expect(slidesPage).toContain(`PDF 有 ${PDF_LIMITS.maxPages + 1} 页，超过 ${PDF_LIMITS.maxPages} 页的上限`);
    // Screens still show the last good deck.
    const screen = await (await assistant.get(`/classroom/sessions/${sessionId}/screen`)).text();
    expect(screen).toContain('data-testid="slide-page"');
  });

  it('only the teacher uploads; a student or an unscheduled classroom cannot list or fetch the pages', async () => {
    for (const who of [student, otherAssistant, assistant]) {
      const res = await who.postMultipart(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-upload' }, { file: { name: 'x.pdf', type: 'application/pdf', content: buildSlidePdf(lessonSlides(1)) } });
      expect(res.status).toBe(403);
      await res.arrayBuffer();
    }
    for (const who of [student, otherAssistant]) {
      for (const path of ['prefetch', 'screen', 'slides']) {
        const res = await who.get(`/classroom/sessions/${sessionId}/${path}`);
        expect(res.status, path).toBe(403);
        await res.arrayBuffer();
      }
    }
    // Without the signature the session's teacher and screens get, the image is not served.
    const forged = pageUrl.replace(/\/(\d+)\/([\w-]+)\//, '/$1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/');
    expect((await student.get(forged)).status).toBe(403);
    const unsigned = pageUrl.replace(/\/\d+\/[\w-]+\//, `/${Math.floor(Date.now() / 1000) + 3600}/x/`);
    expect((await student.get(unsigned)).status).toBe(403);
    // Another session's valid signature does not reach this session's pages.
    const other = await newDemoSession();
    const otherScreen = await (await assistant.get(`/classroom/sessions/${other}/screen`)).text();
    const base = new RegExp(`/slides/${other}/\\d+/[\\w-]+/`).exec(otherScreen)?.[0];
    expect(base, 'the screen carries its session’s signed slide folder').toBeDefined();
    expect((await assistant.get(`${base}${deckId}/page-001.webp`)).status).toBe(404);
  });

  it('a scheduled screen’s prefetch list holds every slide page with its size', async () => {
    const res = await assistant.get(`/classroom/sessions/${sessionId}/prefetch`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { items: { url: string; bytes: number }[]; totalBytes: number };
    const [deck] = await testSql()<Deck[]>`select id, page_bytes from slide_decks where session_id = ${sessionId} and status = 'ready' order by created_at desc limit 1`;
    const pages = manifest.items.filter((i) => i.url.startsWith('/slides/'));
    expect(pages.map((p) => p.bytes)).toEqual(deck!.page_bytes);
    expect(manifest.totalBytes).toBe(manifest.items.reduce((s, i) => s + i.bytes, 0));
    const fetched = await assistant.get(pages[0]!.url);
    expect(new Uint8Array(await fetched.arrayBuffer()).length).toBe(pages[0]!.bytes);
  });

  it('taking decks down falls back to the previous deck, then to the text slides; the images go', async () => {
    const ready = () => testSql()<{ id: string }[]>`select id from slide_decks where session_id = ${sessionId} and status = 'ready' order by created_at desc`;
    const decks = await ready();
    expect(decks.length).toBeGreaterThan(1);
    const remove = (id: string) => teacher.post(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-remove', deckId: id });
    expect((await assistant.post(`/classroom/sessions/${sessionId}/slides`, { intent: 'deck-remove', deckId: decks[0]!.id })).status).toBe(403);
    expect((await remove(decks[0]!.id)).status).toBe(200);
    const [event] = await testSql()`select payload from session_events where session_id = ${sessionId} and kind = 'deck' order by seq desc limit 1`;
    expect((event!.payload as { deck: { id: string } }).deck.id).toBe(decks[1]!.id);
    for (const d of decks.slice(1)) expect((await remove(d.id)).status).toBe(200);
    expect((await remove(decks[0]!.id)).status).toBe(404);
    const screen = await (await assistant.get(`/classroom/sessions/${sessionId}/screen`)).text();
    expect(screen).not.toContain('data-testid="slide-page"');
    expect(screen).toContain('class="slide-text"');
    expect((await assistant.get(pageUrl)).status).toBe(404);
  });
});
