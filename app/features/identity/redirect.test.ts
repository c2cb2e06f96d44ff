import { describe, expect, it } from 'vitest';
import { safeRedirectPath } from './redirect.js';

describe('safeRedirectPath', () => {
  it('keeps paths on this site, with query and hash', () => {
    expect(safeRedirectPath('/courses/fjnu-educational-psychology')).toBe('/courses/fjnu-educational-psychology');
    expect(safeRedirectPath('/credits?tab=requests#new')).toBe('/credits?tab=requests#new');
    expect(safeRedirectPath('/search?q=%E6%95%99%E8%82%B2')).toBe('/search?q=%E6%95%99%E8%82%B2');
  });

  it.each([
    ['//evil.example'],
    ['/\\evil.example'],
    ['/\t/evil.example'],
    ['/\n/evil.example'],
    ['/\r\n/evil.example'],
    ['/%09/evil.example'],
    ['/%0a/evil.example'],
    ['/%0D%0A/evil.example'],
    ['/%2F/evil.example'],
    ['/%2f%2fevil.example'],
    ['/%5Cevil.example'],
    ['/%255C/evil.example'],
    ['/%252F/evil.example'],
    ['%2F%2Fevil.example'],
    ['https://evil.example'],
    ['evil.example'],
    ['/\u0000'],
    ['/%E0%A4%A'],
    ['/javascript:alert(1)'],
  ])('refuses %j and falls back', (to) => {
    expect(safeRedirectPath(to)).toBe('/');
    expect(safeRedirectPath(to, '/account')).toBe('/account');
  });

  it('refuses what is not a string', () => {
    expect(safeRedirectPath(null)).toBe('/');
    expect(safeRedirectPath(undefined)).toBe('/');
    expect(safeRedirectPath(['/a'])).toBe('/');
  });
});
