import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';

const schemaPath = path.resolve(import.meta.dirname, '../fixtures/ob-v3p0/ob_v3p0_achievementcredential_schema.json');
const ajv = new Ajv2019({ allErrors: true, strict: false });
// ajv-formats is CommonJS: its function is the default export under some loaders and `.default` under others.
const applyFormats = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (a: Ajv2019) => void;
applyFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/**
 * Errors of a credential against the vendored 1EdTech OB 3.0 schema ([] when valid). That copy
 * predates VC 2.0's rename of `issuanceDate` to `validFrom` (see the fixture's README): the one
 * renamed property is mapped back, nothing else is touched.
 */
export function validateAgainstOb3Schema(credential: Record<string, unknown>): string[] {
  const asPublished = 'issuanceDate' in credential || !('validFrom' in credential) ? credential : { ...credential, issuanceDate: credential.validFrom };
  return validate(asPublished) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}
