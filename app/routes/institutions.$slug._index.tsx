import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { CourseCard } from '../components/catalog/CourseCard.js';
import { pick } from '../components/catalog/labels.js';
import { searchCatalog } from '../features/catalog/catalog.server.js';
import { findInstitutionBySlug } from '../features/catalog/course.server.js';
import { catalogHref, parseCatalogFilters } from '../features/catalog/filters.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { namedTitleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => namedTitleMeta(matches, [loaded?.institution ? { zh: loaded.institution.nameZh, en: loaded.institution.nameEn } : null], 'catalog.title');

/** An institution's public page: its name, place and the courses it publishes. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const institution = params.slug ? await findInstitutionBySlug(params.slug) : null;
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  const filters = { ...parseCatalogFilters(new URL(request.url).searchParams), institution: institution.slug, q: undefined };
  return { institution, filters, courses: await searchCatalog(filters) };
}

export default function InstitutionPage() {
  const { institution, filters, courses } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="institution-title">
      <p className="muted">
        <a href="/courses">{t('catalog.title')}</a>
      </p>
      <h1 id="institution-title">{pick(locale, institution.nameZh, institution.nameEn)}</h1>
      <p>
        {t(`kind.${institution.kind}` as MessageKey)} · {pick(locale, institution.regionZh, institution.regionEn)}
      </p>
      <h2>{t('institution.courses')}</h2>
      {courses.items.length === 0 ? <p>{t('institution.noCourses')}</p> : null}
      <div className="course-list">
        {courses.items.map((course) => (
          <CourseCard key={course.slug} course={course} headingLevel={3} />
        ))}
      </div>
      {courses.pageCount > 1 ? (
        <p>
          <a href={catalogHref(filters)}>{t('institution.allInCatalog')}</a>
        </p>
      ) : null}
    </section>
  );
}
