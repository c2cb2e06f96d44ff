import { describe, expect, it } from 'vitest';
import { domainCovers, mailDomainPattern, normaliseMailDomain } from './mail-domain-match.js';

describe('mail domains', () => {
  it('normalises what an administrator types and accepts only domains', () => {
    expect(normaliseMailDomain(' @FJNU.edu.cn. ')).toBe('fjnu.edu.cn');
    expect(mailDomainPattern.test('fjnu.edu.cn')).toBe(true);
    for (const bad of ['localhost', 'fjnu..cn', '-a.cn', 'a.c', 'fjnu.edu.cn/x']) expect(mailDomainPattern.test(bad), bad).toBe(false);
  });

  it('covers the domain and its subdomains, not look-alikes', () => {
    expect(domainCovers('fjnu.edu.cn', 'a@fjnu.edu.cn')).toBe(true);
    expect(domainCovers('fjnu.edu.cn', 'a@STU.fjnu.edu.cn')).toBe(true);
    expect(domainCovers('fjnu.edu.cn', 'a@evilfjnu.edu.cn')).toBe(false);
    expect(domainCovers('fjnu.edu.cn', 'a@fjnu.edu.cn.evil.com')).toBe(false);
    expect(domainCovers('fjnu.edu.cn', 'fjnu.edu.cn')).toBe(false);
  });
});
