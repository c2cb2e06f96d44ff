import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageWith, translate, translateError } from './i18n.js';
import { en } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';

describe('message catalogs', () => {
  it('have the same keys and the same {placeholders} in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(holes(en[key]), key).toEqual(holes(zhCN[key]));
    }
  });

  it('define each key in one catalog file only (a spread would silently let the later area win)', () => {
    const dir = path.join(import.meta.dirname, 'messages');
    for (const language of ['zh-CN', 'en']) {
      const files = readdirSync(dir).filter((f) => f === `${language}.ts` || f.endsWith(`.${language}.ts`));
      const owner = new Map<string, string>();
      const clashes: string[] = [];
      for (const file of files) {
        for (const [, key] of readFileSync(path.join(dir, file), 'utf8').matchAll(/^ {2}'([^']+)':/gm)) {
          if (owner.has(key!)) clashes.push(`${key} in ${owner.get(key!)} and ${file}`);
          else owner.set(key!, file);
        }
      }
      expect(clashes, language).toEqual([]);
    }
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(translate('zh-CN', 'home.title', { name: '林晓雨' })).toBe('你好，林晓雨');
    expect(translate('en', 'home.title', {})).toBe('Hello, {name}');
  });

  it('turn a zod message key with parameters into the reader’s language', () => {
    expect(translateError('en', messageWith('errors.tooLong', { max: 80 }))).toBe('Too long: at most 80 characters.');
    expect(translateError('zh-CN', 'errors.required')).toBe('此项必填。');
    expect(translateError('en', 'Some raw library message')).toBe('Please correct the fields marked below.');
  });
});

describe('no hard-coded UI text', () => {
  // Chinese text in a page or component means a string that bypassed the catalogs.
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.tsx') ? [p] : [];
    });
  const appDir = path.resolve(import.meta.dirname, '../..');
  for (const file of [...files(path.join(appDir, 'routes')), ...files(path.join(appDir, 'components')), path.join(appDir, 'root.tsx')]) {
    it(path.relative(appDir, file), () => {
      const cjk = readFileSync(file, 'utf8').match(/[\u4e00-\u9fff]+/g);
      expect(cjk).toBeNull();
    });
  }
});
