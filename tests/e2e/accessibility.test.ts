import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, logIn } from '../support/chromium.js';
import { seriousViolations } from '../support/axe.js';
import { closeTestSql, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await closeTestSql();
});

describe('pages pass axe-core’s WCAG 2.1 AA checks (no serious or critical findings)', () => {
  const anonymous = ['/', '/login', '/signup', '/no-such-page', '/courses', `/courses?q=${encodeURIComponent('线代')}`, '/courses?q=zzzz-nothing', '/courses/fzu-linear-algebra-1', '/institutions/fzu', '/forgot-password', '/reset-password?token=x', '/signup/sent', '/privacy'];
  for (const path of anonymous) {
    it(`anonymous ${path}`, async () => {
      const page = await (await browser.newContext({ bypassCSP: true })).newPage();
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('the signup form with errors shown', async () => {
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${baseUrl}/signup`);
    await page.getByRole('button', { name: '注册' }).click();
    await page.getByText('此项必填。').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  const adminPages = ['/', '/account', '/account/delete', '/admin/institutions', '/admin/people?q=demo', '/admin/audit', '/admin/media', '/admin/mail', '/account/password', '/account/email', '/account/sessions', '/institutions/fzu/members'];
  it(`admin pages: ${adminPages.join(' ')}`, async () => {
    const { context, page } = await logIn(browser, baseUrl, 'admin@demo.edu.cn', { context: { bypassCSP: true } });
    for (const path of adminPages) {
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await context.close();
  });

  it('teacher studio pages: course list, editor, statistics, lesson text (with a stale-save warning) and materials', async () => {
    const [row] = await testSql()<{ course: string; lesson: string }[]>`
      select c.id as course, l.id as lesson from courses c join lessons l on l.course_id = c.id where c.slug = 'fzu-linear-algebra-1' order by l.position limit 1`;
    const { context, page } = await logIn(browser, baseUrl, 'teacher@demo.edu.cn', { context: { bypassCSP: true } });
    const paths = ['/studio', `/studio/courses/${row!.course}`, `/studio/courses/${row!.course}/stats`, `/studio/lessons/${row!.lesson}/text`, `/studio/lessons/${row!.lesson}/materials`];
    for (const path of paths) {
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    // The editor with its details open (rename/delete forms) and a conflict notice on the text page.
    await page.goto(`${baseUrl}/studio/courses/${row!.course}`);
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    expect(await seriousViolations(page), 'editor, all sections open').toEqual([]);
    await page.goto(`${baseUrl}/studio/lessons/${row!.lesson}/text`);
    await page.getByRole('button', { name: '保存正文' }).click();
    await page.getByText(/已保存（第 \d+ 版）/).waitFor();
    // A save from the version before: as if another tab had been open since then.
    await page.locator('input[name="version"]').evaluate((el) => ((el as HTMLInputElement).value = String(Number((el as HTMLInputElement).value) - 1)));
    await page.getByRole('button', { name: '保存正文' }).click();
    await page.getByText('已有其他人保存了这个课时').waitFor();
    expect(await seriousViolations(page), 'stale text save').toEqual([]);
    await context.close();
  });

  it('student pages: home with my courses, an enrolled course, a lesson, a course closed to them', async () => {
    const { context, page } = await logIn(browser, baseUrl, 'student@demo.edu.cn', { context: { bypassCSP: true } });
    expect(await seriousViolations(page), 'home').toEqual([]);
    for (const path of ['/courses/fzu-linear-algebra-1', '/courses/fjnu-educational-psychology']) {
      await page.goto(baseUrl + path);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.getByRole('link', { name: '课程目录' }).first().click();
    await page.goto(`${baseUrl}/courses/fzu-linear-algebra-1`);
    await page.locator('.syllabus a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await seriousViolations(page), 'lesson').toEqual([]);
    await context.close();
  });

  it('the quiz page (student), its graded preview and the quiz builder (teacher)', async () => {
    const [row] = await testSql()<{ id: string }[]>`select q.lesson_id as id from quizzes q join lessons l on l.id = q.lesson_id join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1'`;
    const quizPath = `/lessons/${row!.id}/quiz`;
    const signIn = (email: string) => logIn(browser, baseUrl, email, { context: { bypassCSP: true } });
    const student = await signIn('student@demo.edu.cn');
    await student.page.goto(baseUrl + quizPath);
    await student.page.getByRole('group', { name: /第 1 题/ }).waitFor();
    expect(await seriousViolations(student.page), quizPath).toEqual([]);
    await student.context.close();

    // The teacher's preview shows the graded results without recording an attempt.
    const teacher = await signIn('teacher@demo.edu.cn');
    await teacher.page.goto(baseUrl + quizPath);
    await teacher.page.getByRole('group', { name: /第 1 题/ }).getByLabel('3', { exact: true }).check();
    await teacher.page.getByRole('button', { name: '预览评分（不记录）' }).click();
    await teacher.page.getByRole('heading', { name: '预览评分（未记录）' }).waitFor();
    expect(await seriousViolations(teacher.page), `${quizPath} graded preview`).toEqual([]);
    for (const path of [`/studio/lessons/${row!.id}/quiz`, `/studio/lessons/${row!.id}/quiz?add=single`]) {
      await teacher.page.goto(baseUrl + path);
      expect(await seriousViolations(teacher.page), path).toEqual([]);
    }
    await teacher.context.close();
  });

  // Synchronised classrooms: the timetable, console and report for the teacher; the
  // timetable, screen (with a poll open and PDF slide pages) and report for the receiving
  // classroom's assistant; the teacher's slides page too.
  for (const [email, pages] of [
    ['teacher@demo.edu.cn', ['/classroom', ':session/console', ':session/slides', ':session/report']],
    ['assistant@demo.edu.cn', ['/classroom', ':session/screen', ':session/report']],
  ] as const) {
    it(`classroom pages for ${email}`, async () => {
      const [session] = await testSql()<{ id: string }[]>`select s.id from live_sessions s join live_classes lc on lc.id = s.live_class_id join users u on u.id = lc.teacher_id where u.email = 'teacher@demo.edu.cn' order by s.starts_at limit 1`;
      await testSql()`insert into session_polls (session_id, question, options) select ${session!.id}, '2 + 3 = ?', '["5","6"]'::jsonb where not exists (select 1 from session_polls where session_id = ${session!.id})`;
      // A rendered deck as the worker leaves it (thumbnails, page image, prefetch panel); axe checks the markup.
      await testSql()`insert into slide_decks (session_id, file_name, source_bytes, status, page_count, pages_done, page_bytes, thumb_bytes) select ${session!.id}, 'deck.pdf', 1000, 'ready', 3, 3, '[1,1,1]'::jsonb, '[1,1,1]'::jsonb where not exists (select 1 from slide_decks where session_id = ${session!.id})`;
      const { context, page } = await logIn(browser, baseUrl, email, { context: { bypassCSP: true } });
      for (const path of pages) {
        await page.goto(baseUrl + path.replace(':session', `/classroom/sessions/${session!.id}`));
        expect(await seriousViolations(page), path).toEqual([]);
      }
      await context.close();
    });
  }
  const signedInPage = (email: string) => logIn(browser, baseUrl, email, { context: { bypassCSP: true } });

  it('credit pages: the public lookup with an answer, the student’s, the registrar’s and the ledger', async () => {
    const anonymous = await (await browser.newContext({ bypassCSP: true })).newPage();
    await anonymous.goto(`${baseUrl}/credits/lookup`);
    await anonymous.getByRole('button', { name: '查询' }).click();
    await anonymous.getByRole('status').waitFor();
    expect(await seriousViolations(anonymous), '/credits/lookup answered').toEqual([]);
    await anonymous.close();
    for (const [email, paths] of [
      ['student@demo.edu.cn', ['/credits', '/credits/transcript']],
      ['registrar@demo.edu.cn', ['/institutions/fjnu/credits', '/institutions/fjnu/credits/rules', '/institutions/fjnu/credits/policy']],
      ['admin@demo.edu.cn', ['/admin/ledger']],
    ] as const) {
      const { context, page } = await signedInPage(email);
      for (const path of paths) {
        await page.goto(baseUrl + path);
        expect(await seriousViolations(page), path).toEqual([]);
      }
      await context.close();
    }
  });
});
