import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { courseLanguages, courseLevels, courseSubjects } from '../../db/schema/courses.js';
import { CourseCard } from '../components/catalog/CourseCard.js';
import { pick } from '../components/catalog/labels.js';
import { catalogFacets, searchCatalog } from '../features/catalog/catalog.server.js';
import { catalogHref, parseCatalogFilters, type CatalogFilters } from '../features/catalog/filters.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'catalog.title');

/** Public and server-rendered: every filter is a plain GET parameter, so every view has a shareable URL. */
export async function loader({ request }: LoaderFunctionArgs) {
  const filters = parseCatalogFilters(new URL(request.url).searchParams);
  const [page, facets] = await Promise.all([searchCatalog(filters), catalogFacets()]);
  return { filters, page, facets };
}

type Option = { value: string; label: string };

function Select({ name, label, value, options }: { name: keyof CatalogFilters; label: string; value: string | undefined; options: Option[] }) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">{t('catalog.filter.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function Catalog() {
  const { filters, page, facets } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const label = (prefix: string) => (value: string) => ({ value, label: t(`${prefix}.${value}` as MessageKey) });
  const filtered = Object.entries(filters).some(([key, value]) => key !== 'page' && value);
  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">{t('catalog.title')}</h1>
      <p>{t('catalog.lead')}</p>
      <form method="get" action="/courses" role="search" className="catalog-filters" aria-label={t('catalog.filters')}>
        <div className="field catalog-q">
          <label htmlFor="filter-q">{t('catalog.search')}</label>
          <p className="hint" id="filter-q-hint">
            {t('catalog.searchHint')}
          </p>
          <input id="filter-q" type="search" name="q" defaultValue={filters.q ?? ''} maxLength={100} aria-describedby="filter-q-hint" />
        </div>
        <Select name="region" label={t('catalog.filter.region')} value={filters.region} options={facets.regions.map((r) => ({ value: r.value, label: pick(locale, r.labelZh, r.labelEn) }))} />
        <Select name="institution" label={t('catalog.filter.institution')} value={filters.institution} options={facets.institutions.map((i) => ({ value: i.value, label: pick(locale, i.labelZh, i.labelEn) }))} />
        <Select name="subject" label={t('catalog.filter.subject')} value={filters.subject} options={courseSubjects.map(label('subject'))} />
        <Select name="level" label={t('catalog.filter.level')} value={filters.level} options={courseLevels.map(label('courseLevel'))} />
        <Select name="lang" label={t('catalog.filter.lang')} value={filters.lang} options={courseLanguages.map(label('courseLang'))} />
        <div className="field checkbox">
          <input id="filter-credit" type="checkbox" name="credit" value="1" defaultChecked={filters.credit === '1'} />
          <label htmlFor="filter-credit">{t('catalog.filter.credit')}</label>
        </div>
        <p className="row-form">
          <button type="submit" className="button">
            {t('catalog.apply')}
          </button>
          {filtered ? <a href="/courses">{t('catalog.clear')}</a> : null}
        </p>
      </form>
      <p role="status" className="catalog-count">
        {filters.q ? t('catalog.countFor', { q: filters.q, count: page.total }) : t('catalog.count', { count: page.total })}
      </p>
      {page.items.length === 0 ? <p>{t('catalog.none')}</p> : null}
      <div className="course-list">
        {page.items.map((course) => (
          <CourseCard key={course.slug} course={course} />
        ))}
      </div>
      {page.pageCount > 1 ? (
        <nav aria-label={t('catalog.pages')} className="pager">
          {page.page > 1 ? (
            <a href={catalogHref(filters, { page: page.page - 1 })} rel="prev">
              {t('catalog.prev')}
            </a>
          ) : null}
          <span>{t('catalog.pageOf', { page: page.page, pages: page.pageCount })}</span>
          {page.page < page.pageCount ? (
            <a href={catalogHref(filters, { page: page.page + 1 })} rel="next">
              {t('catalog.next')}
            </a>
          ) : null}
        </nav>
      ) : null}
      <p className="muted">
        <a href="/catalog.csv">{t('catalog.openData')}</a>
      </p>
    </section>
  );
}
