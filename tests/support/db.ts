import postgres from 'postgres';
import { testServiceEnv } from './env.js';

let sql: postgres.Sql | undefined;

/** Direct access to the test database, for arranging a case (an expired session) and checking what was stored. */
export function testSql(): postgres.Sql {
  sql ??= postgres(testServiceEnv().DATABASE_URL, { max: 2, onnotice: () => {} });
  return sql;
}

export async function closeTestSql() {
  await sql?.end({ timeout: 2 });
  sql = undefined;
}

export async function institutionIdBySlug(slug: string): Promise<string> {
  const [row] = await testSql()<{ id: string }[]>`select id from institutions where slug = ${slug}`;
  if (!row) throw new Error(`no institution ${slug}`);
  return row.id;
}

export async function auditCount(action: string, where: { actorEmail?: string; subjectEmail?: string } = {}): Promise<number> {
  const db = testSql();
  const [row] = await db<{ n: string }[]>`
    select count(*) as n from audit_log a
    left join users actor on actor.id = a.actor_user_id
    left join users subject on subject.id = a.subject_user_id
    where a.action = ${action}
      ${where.actorEmail ? db`and actor.email = ${where.actorEmail}` : db``}
      ${where.subjectEmail ? db`and subject.email = ${where.subjectEmail}` : db``}`;
  return Number(row!.n);
}
