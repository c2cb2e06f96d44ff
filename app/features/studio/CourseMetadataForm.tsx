import { getFormProps, useForm, type SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod';
import { Form } from '@remix-run/react';
import { courseLanguages, courseLevels, courseSubjects, enrolmentPolicies } from '../../../db/schema/courses.js';
import { CsrfInput } from '../../components/CsrfInput.js';
import { Field, FormErrors, SelectField, TextAreaField } from '../../components/Field.js';
import { useLocale, useT, type MessageKey } from '../i18n/i18n.js';
import { courseMetadataSchema } from './course-schemas.js';

export type CourseMetadataValues = {
  institutionId: string;
  titleZh: string;
  titleEn: string | null;
  summaryZh: string;
  summaryEn: string | null;
  descriptionZh: string;
  descriptionEn: string | null;
  prerequisitesZh: string;
  prerequisitesEn: string | null;
  subject: string;
  level: string;
  language: string;
  credits: string;
  classHours: number;
  enrolmentPolicy: string;
  passGrade: string;
  attemptScoring: string;
};

/** Numeric columns come back as "60.00"; show them as the teacher would write them. */
const plainDecimal = (v: string) => v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

export function CourseMetadataForm({ course, partnerIds, institutions, lastResult }: { course: CourseMetadataValues; partnerIds: string[]; institutions: { id: string; nameZh: string; nameEn: string }[]; lastResult: SubmissionResult<string[]> | undefined }) {
  const t = useT();
  const locale = useLocale();
  const [form, fields] = useForm({
    id: 'course-metadata',
    lastResult,
    defaultValue: {
      ...Object.fromEntries(Object.entries(course).map(([k, v]) => [k, v === null ? '' : String(v)])),
      credits: plainDecimal(course.credits),
      passGrade: plainDecimal(course.passGrade),
      partners: partnerIds,
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: courseMetadataSchema }),
    shouldRevalidate: 'onBlur',
  });
  const options = (values: readonly string[], prefix: string) => values.map((v) => ({ value: v, label: t(`${prefix}.${v}` as MessageKey) }));
  const chosenPartners = new Set(fields.partners.value ? ([] as string[]).concat(fields.partners.value as string | string[]) : partnerIds);
  return (
    <Form method="post" className="stacked wide" aria-labelledby="metadata-title" {...getFormProps(form)}>
      <CsrfInput />
      <input type="hidden" name="intent" value="metadata" />
      <FormErrors id={form.errorId} errors={form.errors} />
      <Field field={fields.titleZh} label={t('studio.field.titleZh')} />
      <Field field={fields.titleEn} label={t('studio.field.titleEn')} />
      <Field field={fields.summaryZh} label={t('studio.field.summaryZh')} />
      <Field field={fields.summaryEn} label={t('studio.field.summaryEn')} />
      <TextAreaField field={fields.descriptionZh} label={t('studio.field.descriptionZh')} rows={5} />
      <TextAreaField field={fields.descriptionEn} label={t('studio.field.descriptionEn')} rows={3} />
      <TextAreaField field={fields.prerequisitesZh} label={t('studio.field.prerequisitesZh')} rows={2} />
      <TextAreaField field={fields.prerequisitesEn} label={t('studio.field.prerequisitesEn')} rows={2} />
      <div className="field-grid">
        <SelectField field={fields.subject} label={t('studio.field.subject')} placeholder="—" options={options(courseSubjects, 'subject')} />
        <SelectField field={fields.level} label={t('studio.field.level')} placeholder="—" options={options(courseLevels, 'courseLevel')} />
        <SelectField field={fields.language} label={t('studio.field.language')} placeholder="—" options={options(courseLanguages, 'courseLang')} />
        <Field field={fields.credits} label={t('studio.field.credits')} hint={t('studio.field.creditsHint')} inputMode="decimal" />
        <Field field={fields.classHours} label={t('studio.field.classHours')} inputMode="numeric" />
        <Field field={fields.passGrade} label={t('studio.field.passGrade')} hint={t('studio.field.passGradeHint')} inputMode="decimal" />
        <SelectField field={fields.attemptScoring} label={t('studio.field.attemptScoring')} placeholder="—" options={options(['best', 'latest'], 'studio.scoring')} />
        <SelectField field={fields.enrolmentPolicy} label={t('studio.field.enrolmentPolicy')} placeholder="—" options={options(enrolmentPolicies, 'studio.policy')} />
      </div>
      <fieldset className="partners">
        <legend>{t('studio.field.partners')}</legend>
        <ul>
          {institutions
            .filter((i) => i.id !== course.institutionId)
            .map((i) => (
              <li key={i.id}>
                <label>
                  <input type="checkbox" name="partners" value={i.id} defaultChecked={chosenPartners.has(i.id)} /> {locale === 'en' ? i.nameEn : i.nameZh}
                </label>
              </li>
            ))}
        </ul>
      </fieldset>
      <button type="submit" className="button">
        {t('studio.editor.saveMetadata')}
      </button>
    </Form>
  );
}
