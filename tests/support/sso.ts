import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from './browserless.js';
import { testSql } from './db.js';

/** Saves an institution's SSO settings through the admin console, as the platform admin does. */
export async function configureSso(baseUrl: string, slug: string, fields: Record<string, string>): Promise<Response> {
  const admin = new FormClient(baseUrl);
  const login = await admin.login('admin@demo.edu.cn', demoPassword);
  if (login.status !== 302) throw new Error(`admin login failed: ${login.status}`);
  const res = await admin.post(`/institutions/${slug}/sso`, { enabled: 'on', displayNameZh: `${slug} 统一身份认证`, displayNameEn: `${slug} sign-in`, ...fields });
  if (res.status !== 200) throw new Error(`saving SSO settings failed: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res;
}

/** What a refused answer must have left behind: no account, no external identity for it. */
export async function accountsFor(email: string, subject: string): Promise<{ users: number; identities: number }> {
  const [u] = await testSql()<{ n: string }[]>`select count(*) as n from users where email = ${email}`;
  const [i] = await testSql()<{ n: string }[]>`select count(*) as n from external_identities where subject = ${subject}`;
  return { users: Number(u!.n), identities: Number(i!.n) };
}

export async function lastRefusal(): Promise<{ reason: string; protocol: string; institution_id: string | null } | undefined> {
  const [row] = await testSql()<{ reason: string; protocol: string; institution_id: string | null }[]>`
    select details->>'reason' as reason, details->>'protocol' as protocol, institution_id
    from audit_log where action = 'sso.refused' order by id desc limit 1`;
  return row;
}
