import type { FieldMetadata } from '@conform-to/react';
import { getInputProps, getSelectProps, getTextareaProps } from '@conform-to/react';
import { translateError, useLocale } from '../features/i18n/i18n.js';

type Props<Schema> = {
  field: FieldMetadata<Schema>;
  label: string;
  type?: 'text' | 'email' | 'password' | 'date';
  autoComplete?: string;
  hint?: string;
  inputMode?: 'decimal' | 'numeric';
};

function ErrorList({ id, errors }: { id: string; errors: string[] | undefined }) {
  const locale = useLocale();
  if (!errors?.length) return null;
  return (
    <ul className="field-errors" id={id}>
      {errors.map((e) => (
        <li key={e}>{translateError(locale, e)}</li>
      ))}
    </ul>
  );
}

/** Label, input and its errors, wired for screen readers (aria-invalid / aria-describedby). */
export function Field<Schema extends string | number>({ field, label, type = 'text', autoComplete, hint, inputMode }: Props<Schema>) {
  const { key, ...inputProps } = getInputProps(field, { type, ariaDescribedBy: field.errors ? field.errorId : hint ? `${field.id}-hint` : undefined });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint ? <p className="hint" id={`${field.id}-hint`}>{hint}</p> : null}
      <input key={key} {...inputProps} autoComplete={autoComplete} inputMode={inputMode} />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function SelectField({ field, label, options, placeholder }: { field: FieldMetadata<string>; label: string; options: { value: string; label: string }[]; placeholder: string }) {
  const { key, ...selectProps } = getSelectProps(field, { ariaDescribedBy: field.errors ? field.errorId : undefined });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <select key={key} {...selectProps}>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  );
}

export function FormErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  return (
    <div role="alert" aria-live="polite">
      <ErrorList id={id} errors={errors} />
    </div>
  );
}

export function TextAreaField({ field, label, rows = 4 }: { field: FieldMetadata<string>; label: string; rows?: number }) {
  const { key, ...props } = getTextareaProps(field, { ariaDescribedBy: field.errors ? field.errorId : undefined });
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      <textarea key={key} {...props} rows={rows} />
      <ErrorList id={field.errorId} errors={field.errors} />
    </div>
  );
}
