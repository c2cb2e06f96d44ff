import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, etagMatches, notModified, openCatalogPageUrl, parseOpenCatalogParams, strongEtag } from './open-data.js';

describe('CSV fields', () => {
  it('quotes commas, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvField('线性代数')).toBe('线性代数');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('one\ntwo')).toBe('"one\ntwo"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    expect(csvRecord(['a', 3, null])).toBe('a,3,\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, but not numbers', () => {
    for (const text of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) expect(csvField(text).replace(/^"|"$/g, '')).toBe(`'${text}`);
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField(-2)).toBe('-2');
    expect(csvField('a=b')).toBe('a=b');
  });
});

describe('validators', () => {
  const etag = strongEtag('body');
  const modified = new Date('2026-11-25T10:00:00.400Z');

  it('makes a strong tag that changes with the bytes', () => {
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect(strongEtag('body!')).not.toBe(etag);
  });

  it('matches If-None-Match lists, weak forms and *', () => {
    expect(etagMatches(`"x", ${etag}`, etag)).toBe(true);
    expect(etagMatches(`W/${etag}`, etag)).toBe(true);
    expect(etagMatches('*', etag)).toBe(true);
    expect(etagMatches('"x"', etag)).toBe(false);
    expect(etagMatches(null, etag)).toBe(false);
  });

  it('prefers If-None-Match over If-Modified-Since, which compares whole seconds', () => {
    const h = (init: Record<string, string>) => new Headers(init);
    expect(notModified(h({ 'if-modified-since': 'Wed, 25 Nov 2026 10:00:00 GMT' }), etag, modified)).toBe(true);
    expect(notModified(h({ 'if-modified-since': 'Wed, 25 Nov 2026 09:59:59 GMT' }), etag, modified)).toBe(false);
    expect(notModified(h({ 'if-none-match': '"other"', 'if-modified-since': 'Wed, 25 Nov 2026 10:00:00 GMT' }), etag, modified)).toBe(false);
    expect(notModified(h({ 'if-modified-since': 'not a date' }), etag, modified)).toBe(false);
  });
});

describe('API parameters', () => {
  it('defaults and links keep the filters in a stable order', () => {
    const parsed = parseOpenCatalogParams(new URLSearchParams('subject=mathematics&q=线代&pageSize=50'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.params.page).toBe(1);
    expect(openCatalogPageUrl('https://edu.example.cn', parsed.params, 2)).toBe(`https://edu.example.cn/api/catalog?q=${encodeURIComponent('线代')}&subject=mathematics&page=2&pageSize=50`);
  });

  it('names every bad or unknown parameter', () => {
    const parsed = parseOpenCatalogParams(new URLSearchParams('pageSize=500&level=legendary&sort=new'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.param).sort()).toEqual(['level', 'pageSize', 'sort']);
  });
});
