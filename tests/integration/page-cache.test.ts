import { afterAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

const csrfIn = (html: string) => /name="csrf" value="([^"]*)"/.exec(html)?.[1];

describe('the shared cache of public pages for anonymous visitors', () => {
  it('renders once, then serves copies that each carry the visitor’s own CSRF token, which works', async () => {
    const url = `/courses?subject=mathematics&cache-test=${Date.now()}`;
    const a = new FormClient(baseUrl);
    const b = new FormClient(baseUrl);
    const first = await a.get(url);
    const second = await b.get(url);
    expect(first.headers.get('x-page-cache')).toBe('miss');
    expect(second.headers.get('x-page-cache')).toBe('hit');
    const [htmlA, htmlB] = [await first.text(), await second.text()];
    expect(csrfIn(htmlA)).toBe(decodeURIComponent(a.cookies.get('edu_csrf')!));
    expect(csrfIn(htmlB)).toBe(decodeURIComponent(b.cookies.get('edu_csrf')!));
    expect(csrfIn(htmlA)).not.toBe(csrfIn(htmlB));
    // Same page otherwise.
    expect(htmlB.replace(csrfIn(htmlB)!, '')).toBe(htmlA.replace(csrfIn(htmlA)!, ''));
    // The token in the cached copy is the visitor's: the language form it sits in is accepted.
    const switched = await b.post('/lang', { locale: 'en', redirectTo: url, csrf: csrfIn(htmlB)! }, { csrf: false });
    expect(switched.status).toBe(302);
  });

  it('keeps languages apart', async () => {
    const url = `/courses/fzu-linear-algebra-1?cache-lang=${Date.now()}`;
    const zh = await (await new FormClient(baseUrl).get(url)).text();
    const english = new FormClient(baseUrl);
    await english.post('/lang', { locale: 'en', redirectTo: '/' });
    const en = await english.get(url);
    expect(zh).toContain('线性代数(上)');
    expect(await en.text()).toContain('Linear Algebra I');
  });

  it('never serves a signed-in visitor from it, nor stores what they see', async () => {
    const student = new FormClient(baseUrl);
    expect((await student.login('student@demo.edu.cn', demoPassword)).status).toBe(302);
    const url = `/courses/fzu-linear-algebra-1?cache-user=${Date.now()}`;
    const mine = await student.get(url);
    expect(mine.headers.get('x-page-cache')).toBeNull();
    expect(await mine.text()).toContain('你已选修这门课'); // their own enrolment
    const anonymous = await new FormClient(baseUrl).get(url);
    expect(anonymous.headers.get('x-page-cache')).toBe('miss');
    const html = await anonymous.text();
    expect(html).not.toContain('你已选修这门课');
    expect(html).toContain('登录后选课');
  });

  it('does not keep a page that is not found', async () => {
    for (let i = 0; i < 2; i++) {
      const missing = await new FormClient(baseUrl).get('/courses/no-such-course-for-cache');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-page-cache')).toBe('bypass');
    }
  });

  it('lets a change reach anonymous visitors once the copy expires (PAGE_CACHE_SECONDS, 5 s by default)', async () => {
    const [row] = await testSql()<{ id: string; slug: string; title_zh: string }[]>`select id, slug, title_zh from courses where slug = 'fjnu-chinese-classics'`;
    const url = `/courses/${row!.slug}?cache-expiry=${Date.now()}`;
    expect(await (await new FormClient(baseUrl).get(url)).text()).toContain(row!.title_zh);
    await testSql()`update courses set summary_zh = '缓存过期测试' where id = ${row!.id}`;
    const soon = await new FormClient(baseUrl).get(url);
    expect(soon.headers.get('x-page-cache')).toBe('hit');
    await new Promise((resolve) => setTimeout(resolve, 5200));
    const later = await new FormClient(baseUrl).get(url);
    expect(later.headers.get('x-page-cache')).toBe('miss');
    expect(await later.text()).toContain('缓存过期测试');
  });
});
