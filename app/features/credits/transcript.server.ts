import { transcriptRows } from './requests.server.js';
import { formatCreditTenths, parseCreditTenths } from './credit-units.js';
import { toCsv } from './transcript-csv.js';
import { translate } from '../i18n/i18n.js';
import type { Locale } from '../../../db/schema/identity.js';

export type TranscriptLine = Awaited<ReturnType<typeof transcriptRows>>[number];

export function targetLabel(locale: Locale, r: TranscriptLine): string {
  if (r.targetKind === 'elective') return translate(locale, 'credits.elective');
  const code = r.targetCode || r.ruleTargetCode || '';
  const title = r.targetTitle || (locale === 'en' ? r.ruleTargetTitleEn : r.ruleTargetTitleZh) || '';
  return `${code} ${title}`.trim();
}

export async function loadTranscript(userId: string) {
  const rows = await transcriptRows(userId);
  const totalTenths = rows.reduce((sum, r) => sum + (parseCreditTenths(r.credits ?? '0') ?? 0), 0);
  return { rows, total: formatCreditTenths(totalTenths) };
}

export async function transcriptCsv(userId: string, locale: Locale): Promise<string> {
  const { rows } = await loadTranscript(userId);
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  const t = (k: Parameters<typeof translate>[1]) => translate(locale, k);
  return toCsv([
    [t('transcript.source'), t('transcript.sourceInstitution'), t('transcript.completedOn'), t('transcript.grade'), t('transcript.target'), t('transcript.credits'), t('transcript.converted'), t('transcript.conversion')],
    ...rows.map((r) => [
      pick(r.courseTitleZh, r.courseTitleEn),
      pick(r.sourceZh, r.sourceEn),
      r.completedOn,
      r.finalGrade ?? 'P',
      targetLabel(locale, r),
      r.credits,
      r.convertedGrade ? `${r.convertedLabel} (${r.convertedGrade})` : r.convertedLabel,
      `v${r.tableVersion}`,
    ]),
  ]);
}
