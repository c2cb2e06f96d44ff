import { describe, expect, it } from 'vitest';
import { documentTokens, queryTokens } from './search-tokens.js';

describe('documentTokens', () => {
  it('makes Han unigrams and bigrams and Latin words, lower-cased and deduplicated', () => {
    expect(documentTokens('线性代数(上)', 'Linear Algebra I')).toEqual(['线', '线性', '性', '性代', '代', '代数', '数', '上', 'linear', 'algebra', 'i']);
  });
  it('does not pair characters across punctuation, and folds full-width forms', () => {
    const tokens = documentTokens('数学，物理 ＡＢＣ');
    expect(tokens).toContain('abc');
    expect(tokens).not.toContain('学物');
  });
  it('ignores empty and missing texts', () => {
    expect(documentTokens(null, undefined, '')).toEqual([]);
  });
});

describe('queryTokens', () => {
  it('requires every character of an abbreviation and ranks by its pairs', () => {
    expect(queryTokens('线代')).toEqual({ required: ['线', '代'], pairs: ['线代'], orderedPattern: '线.*代' });
  });
  it('handles mixed Chinese and Latin queries', () => {
    const q = queryTokens('Python 程序设计');
    expect(q.required).toEqual(['python', '程', '序', '设', '计']);
    expect(q.pairs).toEqual(['程序', '序设', '设计']);
  });
  it('never lets regex syntax into the ordered pattern', () => {
    expect(queryTokens('.*(a|b)').orderedPattern).toBeNull();
    expect(queryTokens('[线]+代').orderedPattern).toBe('线.*代');
  });
  it('is empty for a query of punctuation only', () => {
    expect(queryTokens(' ，。!').required).toEqual([]);
  });
});
