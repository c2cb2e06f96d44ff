import { describe, expect, it } from 'vitest';
import { namedTitleMeta } from './metaTitle.js';

const root = (locale: 'zh-CN' | 'en') => [{ id: 'root', data: { locale } }];
const lesson = { zh: '第一讲：向量', en: 'Lecture 1: Vectors' };
const course = { zh: '线性代数', en: null };

describe('namedTitleMeta', () => {
  it('names the page most specific first, then the site, in Chinese by default', () => {
    expect(namedTitleMeta(root('zh-CN'), [lesson, course], 'lesson.player')).toEqual([{ title: '第一讲：向量 · 线性代数 · 八闽云课堂' }]);
  });

  it('uses English names where they exist and the Chinese name where they do not', () => {
    expect(namedTitleMeta(root('en'), [lesson, course], 'lesson.player')).toEqual([{ title: 'Lecture 1: Vectors · 线性代数 · Bamin Cloud Classroom' }]);
  });

  it('falls back to the generic page title without names (an error page has no data)', () => {
    expect(namedTitleMeta(root('zh-CN'), [null, undefined], 'lesson.player')).toEqual([{ title: '讲课视频播放器 · 八闽云课堂' }]);
  });
});
