import { Form } from "@remix-run/react";
import { CsrfInput } from "../../components/CsrfInput.js";
import { useT, type MessageKey } from "../i18n/i18n.js";

const sections = [
  ["", "studio.lesson.video"],
  ["/text", "studio.lesson.text"],
  ["/materials", "studio.lesson.materials"],
  ["/quiz", "studio.lesson.quiz"],
] as const satisfies readonly (readonly [string, MessageKey])[];

/** Links between a lesson's studio pages, its course and the student preview; a draft says so and can be published here. */
export function StudioLessonNav({
  lessonId,
  courseId,
  current,
  draft,
}: {
  lessonId: string;
  courseId: string;
  current: (typeof sections)[number][0];
  draft: boolean;
}) {
  const t = useT();
  return (
    <>
      <nav className="sub-nav" aria-label={t("studio.lesson.nav")}>
        <ul>
          <li>
            <a href={`/studio/courses/${courseId}`}>
              {t("studio.lesson.backToCourse")}
            </a>
          </li>
          {sections.map(([suffix, key]) => (
            <li key={key}>
              <a
                href={`/studio/lessons/${lessonId}${suffix}`}
                aria-current={suffix === current ? "page" : undefined}
              >
                {t(key)}
              </a>
            </li>
          ))}
          <li>
            <a href={`/lessons/${lessonId}`}>{t("studio.lesson.preview")}</a>
          </li>
        </ul>
      </nav>
      {draft ? (
        <div className="notice warn" role="note">
          <p>
            <span className="badge draft">{t("studio.lesson.draftBadge")}</span>{" "}
            {t("studio.lesson.draftHint")}
          </p>
          <Form method="post" action={`/studio/courses/${courseId}`}>
            <CsrfInput />
            <input type="hidden" name="intent" value="publish-lesson" />
            <input type="hidden" name="lessonId" value={lessonId} />
            <button type="submit" className="button small">
              {t("studio.lesson.publishHere")}
            </button>
          </Form>
        </div>
      ) : null}
    </>
  );
}
