import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestSql, testSql } from '../support/db.js';
import { projectRoot, testServiceEnv } from '../support/env.js';
import { run, tsx } from '../support/processes.js';

afterAll(closeTestSql);

async function counts() {
  const [row] = await testSql()`select
    (select count(*)::int from regions) as regions,
    (select count(*)::int from institutions) as institutions,
    (select count(*)::int from users where email like '%@demo.edu.cn') as demo_users,
    (select count(*)::int from memberships m join users u on u.id = m.user_id where u.email like '%@demo.edu.cn') as demo_memberships`;
  return row!;
}

describe('demo seed', () => {
  it('has one province, three universities, two rural schools and one user per role', async () => {
    const places = await testSql()`select i.kind, r.is_rural from institutions i join regions r on r.id = i.region_id where i.slug in ('fzu','fjnu','mju','gz-no1-middle','mq-bandong-primary')`;
    expect(places.filter((p) => p.kind === 'university')).toHaveLength(3);
    expect(places.filter((p) => p.kind === 'school' && p.is_rural)).toHaveLength(2);
    expect(await testSql()`select 1 from regions where level = 'province'`).toHaveLength(1);
    const roles = await testSql()`select m.role, i.slug from memberships m join users u on u.id = m.user_id join institutions i on i.id = m.institution_id where u.email like '%@demo.edu.cn'`;
    expect(roles.map((r) => `${r.role}@${r.slug}`).sort()).toEqual(['admin@fj-edu-dept', 'assistant@gz-no1-middle', 'institution_admin@gz-no1-middle', 'registrar@fjnu', 'registrar@fzu', 'student@fzu', 'teacher@fzu']);
  });

  it('running it again changes nothing: no duplicate rows, passwords untouched', async () => {
    const before = await counts();
    const [hashBefore] = await testSql()`select password_hash from users where email = 'teacher@demo.edu.cn'`;
    const again = await run(tsx, [path.join(projectRoot, 'db/seed/index.ts')], testServiceEnv());
    expect(again.code, again.output).toBe(0);
    expect(await counts()).toEqual(before);
    const [hashAfter] = await testSql()`select password_hash from users where email = 'teacher@demo.edu.cn'`;
    expect(hashAfter!.password_hash).toBe(hashBefore!.password_hash);
  });
});
