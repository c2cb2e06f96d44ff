import type { AccountTokenPurpose, Locale, MailTemplate } from '../../db/schema/index.js';

// Mail texts in both languages; a message goes out in its recipient's locale. Plain text
// is the message; the HTML part is the same words with the link as a button.

export type RenderedMail = { subject: string; text: string; html: string };
type Words = { subject: string; greeting: string; lines: string[]; action?: string; after: string[] };
type TemplateDefinition = {
  /** The worker makes a token of this purpose and puts it in the link. */
  tokenPurpose?: AccountTokenPurpose;
  /** Path of the link in the mail (the token, when there is one, follows as ?token=). */
  linkPath?: string;
  words: Record<Locale, (p: Record<string, string>) => Words>;
};

const signature: Record<Locale, string> = { 'zh-CN': '八闽云课堂', en: 'Bamin Cloud Classroom' };

export const templates: Record<MailTemplate, TemplateDefinition> = {
  'verify-email': {
    tokenPurpose: 'verify-email',
    linkPath: '/account/verify-email',
    words: {
      'zh-CN': (p) => ({
        subject: '请确认您的邮箱地址',
        greeting: `${p.displayName ?? ''}，您好：`,
        lines: ['请打开下面的链接，确认这个邮箱地址属于您。链接 3 天内有效，只能使用一次。'],
        action: '确认邮箱地址',
        after: ['如果您没有在本平台注册或更改邮箱，请忽略这封邮件。'],
      }),
      en: (p) => ({
        subject: 'Please confirm your email address',
        greeting: `Hello ${p.displayName ?? ''},`,
        lines: ['Open the link below to confirm that this address is yours. It works once, within 3 days.'],
        action: 'Confirm email address',
        after: ['If you did not sign up or change your address on this platform, ignore this message.'],
      }),
    },
  },
  'password-reset': {
    tokenPurpose: 'password-reset',
    linkPath: '/reset-password',
    words: {
      'zh-CN': () => ({
        subject: '重置您的密码',
        greeting: '您好：',
        lines: ['有人（希望是您）请求重置这个邮箱地址对应账号的密码。请打开下面的链接设置新密码。链接 30 分钟内有效，只能使用一次。'],
        action: '设置新密码',
        after: ['如果不是您本人的请求，请忽略这封邮件，您的密码不会改变。'],
      }),
      en: () => ({
        subject: 'Reset your password',
        greeting: 'Hello,',
        lines: ['Someone (we hope you) asked to reset the password of the account with this address. Open the link below to choose a new one. It works once, within 30 minutes.'],
        action: 'Choose a new password',
        after: ['If it was not you, ignore this message: your password stays as it is.'],
      }),
    },
  },
  'account-exists': {
    linkPath: '/forgot-password',
    words: {
      'zh-CN': () => ({
        subject: '您已经有账号了',
        greeting: '您好：',
        lines: ['有人用这个邮箱地址申请注册，但这个地址已经有账号，所以没有新建账号。', '如果是您本人，请直接登录；忘记密码的话，可以通过下面的链接重置。'],
        action: '重置密码',
        after: ['如果不是您本人，请忽略这封邮件。'],
      }),
      en: () => ({
        subject: 'You already have an account',
        greeting: 'Hello,',
        lines: ['Someone asked to sign up with this address, but it already has an account, so no new one was made.', 'If it was you, sign in; if you forgot your password, reset it with the link below.'],
        action: 'Reset password',
        after: ['If it was not you, ignore this message.'],
      }),
    },
  },
  'password-changed': {
    linkPath: '/forgot-password',
    words: {
      'zh-CN': () => ({
        subject: '您的密码已更改',
        greeting: '您好：',
        lines: ['您账号的密码刚刚被更改，其他设备上的登录已全部退出。'],
        action: '不是您本人？立即重置密码',
        after: ['如果是您本人操作，无需处理。'],
      }),
      en: () => ({
        subject: 'Your password was changed',
        greeting: 'Hello,',
        lines: ['The password of your account was just changed, and every other device was signed out.'],
        action: 'Not you? Reset your password now',
        after: ['If it was you, there is nothing to do.'],
      }),
    },
  },
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The link of a message: the site's address, the template's path, and the token if any. */
export function mailLink(linkBase: string, template: MailTemplate, token?: string): string | undefined {
  const path = templates[template].linkPath;
  if (!path) return undefined;
  return `${linkBase.replace(/\/$/, '')}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function renderMail(template: MailTemplate, locale: Locale, params: Record<string, string>, link?: string): RenderedMail {
  const w = templates[template].words[locale](params);
  const text = [w.greeting, '', ...w.lines, '', ...(link ? [`${w.action ?? ''}:`, link, ''] : []), ...w.after, '', `-- ${signature[locale]}`].join('\n');
  const button = link
    ? `<p><a href="${escapeHtml(link)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(w.action ?? link)}</a></p><p style="font-size:13px;color:#555">${escapeHtml(link)}</p>`
    : '';
  const html = `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.6;max-width:560px">
<p>${escapeHtml(w.greeting)}</p>${w.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}${button}${w.after.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}
<p style="color:#555">${escapeHtml(signature[locale])}</p></body></html>`;
  return { subject: w.subject, text, html };
}
