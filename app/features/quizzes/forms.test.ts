import { parseWithZod } from '@conform-to/zod';
import { describe, expect, it } from 'vitest';
import { quizItemSchema, builderSchema } from './builder-forms.js';
import { fromChinaLocal, toChinaLocal } from './china-time.js';
import { answerField, quizResponseSchema } from './response-form.js';

function form(fields: [string, string][]): FormData {
  const f = new FormData();
  for (const [k, v] of fields) f.append(k, v);
  return f;
}

describe('the quiz-taking form', () => {
  const items = [
    { id: 'a', kind: 'single' as const, options: [{ id: 'o1', labelZh: '1' }, { id: 'o2', labelZh: '2' }] },
    { id: 'b', kind: 'multiple' as const, options: [{ id: 'o1', labelZh: '1' }, { id: 'o2', labelZh: '2' }] },
    { id: 'c', kind: 'numeric' as const, options: [] },
    { id: 'd', kind: 'text' as const, options: [] },
  ];
  const schema = quizResponseSchema(items);

  it('turns checked boxes and typed answers into responses, blanks included', () => {
    const s = parseWithZod(form([['attemptNo', '2'], [answerField('a'), 'o2'], [answerField('b'), 'o1'], [answerField('b'), 'o2'], [answerField('c'), '1/2']]), { schema });
    expect(s.status).toBe('success');
    expect(s.status === 'success' && s.value).toEqual({
      attemptNo: 2,
      responses: [{ itemId: 'a', optionIds: ['o2'] }, { itemId: 'b', optionIds: ['o1', 'o2'] }, { itemId: 'c', value: '1/2' }, { itemId: 'd' }],
    });
  });

  it('refuses options the question does not have, two answers to a single choice, a repeated box and a non-number', () => {
    const bad: [string, string][][] = [
      [[answerField('a'), 'o3']],
      [[answerField('a'), 'o1'], [answerField('a'), 'o2']],
      [[answerField('b'), 'o1'], [answerField('b'), 'o1']],
      [[answerField('c'), 'about 3']],
      [[answerField('d'), 'x'.repeat(501)]],
      [],
    ];
    for (const fields of bad) {
      const s = parseWithZod(form([['attemptNo', fields.length ? '1' : 'one'], ...fields]), { schema });
      expect(s.status, JSON.stringify(fields)).toBe('error');
    }
  });
});

describe('the builder’s question form', () => {
  const base: [string, string][] = [['intent', 'save-item'], ['promptZh', '题'], ['points', '1']];

  it('numbers new options after the highest kept id and maps ticked rows to ids', () => {
    const s = parseWithZod(
      form([...base, ['kind', 'multiple'], ['options[0].id', 'o3'], ['options[0].labelZh', '甲'], ['options[1].labelZh', ''], ['options[2].labelZh', '丙'], ['options[3].labelZh', '丁'], ['correct', '2'], ['correct', '3']]),
      { schema: quizItemSchema },
    );
    expect(s.status === 'success' && s.value.options.map((o) => o.id)).toEqual(['o3', 'o4', 'o5']);
    expect(s.status === 'success' && s.value.answerKey).toEqual({ kind: 'multiple', optionIds: ['o4', 'o5'] });
  });

  it('refuses a choice question with fewer than two options or the wrong number ticked, a bare numeric question, a text question with no answers', () => {
    const cases: [string, [string, string][]][] = [
      ['options', [['kind', 'single'], ['options[0].labelZh', '甲'], ['correct', '0']]],
      ['correct', [['kind', 'single'], ['options[0].labelZh', '甲'], ['options[1].labelZh', '乙'], ['correct', '0'], ['correct', '1']]],
      ['correct', [['kind', 'multiple'], ['options[0].labelZh', '甲'], ['options[1].labelZh', '乙']]],
      ['correct', [['kind', 'single'], ['options[0].labelZh', '甲'], ['options[1].labelZh', '乙'], ['correct', '5']]],
      ['answerValue', [['kind', 'numeric']]],
      ['tolerance', [['kind', 'numeric'], ['answerValue', '1'], ['tolerance', '-1']]],
      ['accepted', [['kind', 'text'], ['accepted', ' \n ']]],
    ];
    for (const [path, fields] of cases) {
      const s = parseWithZod(form([...base, ...fields]), { schema: quizItemSchema });
      expect(s.status, JSON.stringify(fields)).toBe('error');
      expect(Object.keys((s.status === 'error' && s.error) || {}), JSON.stringify(fields)).toContain(path);
    }
  });

  it('refuses zero, negative or over-precise points', () => {
    for (const points of ['0', '-1', '1.005', 'abc', '10000']) {
      const s = parseWithZod(form([['intent', 'save-item'], ['promptZh', '题'], ['points', points], ['kind', 'numeric'], ['answerValue', '1']]), { schema: quizItemSchema });
      expect(s.status, points).toBe('error');
    }
  });

  it('reads settings with the due date in Beijing time', () => {
    const s = parseWithZod(form([['intent', 'settings'], ['attemptsAllowed', '3'], ['dueAt', '2026-09-01T08:00'], ['weight', '0.5']]), { schema: builderSchema });
    expect(s.status === 'success' && s.value).toEqual({ intent: 'settings', attemptsAllowed: 3, dueAt: new Date('2026-09-01T00:00:00Z'), weight: '0.5' });
    const none = parseWithZod(form([['intent', 'settings'], ['attemptsAllowed', '1'], ['weight', '1']]), { schema: builderSchema });
    expect(none.status === 'success' && none.value).toMatchObject({ dueAt: null });
  });
});

describe('Beijing time for due dates', () => {
  it('round-trips and refuses impossible dates', () => {
    expect(fromChinaLocal('2026-01-01T00:30')!.toISOString()).toBe('2025-12-31T16:30:00.000Z');
    expect(toChinaLocal(new Date('2025-12-31T16:30:00Z'))).toBe('2026-01-01T00:30');
    for (const bad of ['2026-02-30T10:00', '2026-13-01T10:00', '2026-01-01T24:00', '2026-01-01', 'tomorrow']) expect(fromChinaLocal(bad), bad).toBeNull();
  });
});
