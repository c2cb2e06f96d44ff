import { inArray } from 'drizzle-orm';
import { courses } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { formatCreditTenths, formatHundredths } from './credit-units.js';
import type { MatchReason } from './matcher.js';

export type ReasonLine = { code: MatchReason['code']; params: Record<string, string> };

/** Matcher reasons as message keys with their values filled in (course titles, not ids). */
export async function describeReasons(reasons: readonly { code: string }[], locale: 'zh-CN' | 'en'): Promise<ReasonLine[]> {
  const list = reasons as MatchReason[];
  const ids = [...new Set(list.flatMap((r) => (r.code === 'missing-course' ? r.courseIds : [])))];
  const titles = ids.length ? await getServices().db.select({ id: courses.id, zh: courses.titleZh, en: courses.titleEn }).from(courses).where(inArray(courses.id, ids)) : [];
  const title = new Map(titles.map((c) => [c.id, locale === 'en' ? c.en ?? c.zh : c.zh]));
  return list.map((r): ReasonLine => {
    switch (r.code) {
      case 'missing-course':
        return { code: r.code, params: { courses: r.courseIds.map((id) => title.get(id) ?? id).join(locale === 'en' ? ', ' : '、') } };
      case 'outside-window':
        return { code: r.code, params: { from: r.from, until: r.until ?? '—' } };
      case 'below-min-grade':
      case 'grade-needed':
      case 'min-grade-applies':
        return { code: r.code, params: { min: formatHundredths(r.minHundredths) } };
      case 'credits-capped':
        return { code: r.code, params: { credits: formatCreditTenths(r.sourceTenths) } };
      default:
        return { code: r.code, params: {} };
    }
  });
}
