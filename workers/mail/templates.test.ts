import { describe, expect, it } from 'vitest';
import { mailTemplates } from '../../db/schema/mail.js';
import { mailLink, renderMail } from './templates.js';

describe('mail templates', () => {
  it('renders every template in both languages, with the link in text and HTML', () => {
    for (const template of mailTemplates) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const link = mailLink('https://edu.example.cn/', template, 'tok_en-1');
        const mail = renderMail(template, locale, { displayName: 'A' }, link);
        expect(mail.subject.length).toBeGreaterThan(3);
        if (link) {
          expect(link.startsWith('https://edu.example.cn/')).toBe(true);
          expect(mail.text).toContain(link);
          expect(mail.html).toContain(link);
        }
      }
    }
    expect(renderMail('password-reset', 'zh-CN', {}).subject).toBe('重置您的密码');
    expect(renderMail('password-reset', 'en', {}).subject).toBe('Reset your password');
  });

  it('escapes names in the HTML part', () => {
    const mail = renderMail('verify-email', 'en', { displayName: '<img src=x onerror=alert(1)>' }, 'https://x/a?token=1&b=2');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&#60;img');
    expect(mail.html).toContain('token=1&#38;b=2');
  });
});
