import type { TSchema } from 'typebox';
import { bodyValidator, toFieldErrors } from '../../http/plugins/validation.js';
import type { FieldError } from '../../http/problem.js';
import { isCountryCode } from '../reference/countries.js';
import { normalizeHsCode } from '../reference/hs-code.js';
import { isValidIce } from '../reference/ice.js';
import { isE164Phone } from '../reference/phone.js';
import { isRegion, regionOfProvince } from '../reference/subdivisions.js';

type Doc = Record<string, unknown>;

const isText = (v: unknown): v is string => typeof v === 'string';
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObject = (v: unknown): Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {};

/** UTC calendar date of today, YYYY-MM-DD. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Whether a phone number is valid E.164; a batch passes a memoised one (see phoneChecker). */
export type PhoneCheck = (value: string) => boolean;

/**
 * A phone check that asks libphonenumber (the costliest rule) once per distinct number: a
 * batch's rows often repeat a few numbers.
 */
export function phoneChecker(): PhoneCheck {
  const answers = new Map<string, boolean>();
  return (value) => {
    let valid = answers.get(value);
    if (valid === undefined) {
      valid = isE164Phone(value);
      answers.set(value, valid);
    }
    return valid;
  };
}

/**
 * Rules the JSON schema cannot say: identifiers, reference data, phone numbers and dates that
 * depend on each other. Defensive about types: values of the wrong type are the schema's errors.
 */
function memberRuleErrors(
  input: unknown,
  base = '',
  isPhone: PhoneCheck = isE164Phone,
): FieldError[] {
  const doc = asObject(input);
  const errors: FieldError[] = [];
  const add = (path: string, message: string) =>
    errors.push({ pointer: `${base}${path}`, message });

  if (isText(doc.ice) && !/^\d{15}$/.test(doc.ice)) add('/ice', 'must be 15 digits');
  else if (isText(doc.ice) && !isValidIce(doc.ice))
    add('/ice', 'is not a valid ICE: its check digits do not match (mod 97)');

  if (isText(doc.province)) {
    const region = regionOfProvince(doc.province);
    if (region === undefined) add('/province', 'is not an ISO 3166-2:MA province or prefecture');
    else if (isText(doc.region) && isRegion(doc.region) && region !== doc.region)
      add('/province', `does not lie in region ${doc.region} (it lies in ${region})`);
  }

  asArray(doc.products).forEach((product, i) => {
    const hsCode = asObject(product).hsCode;
    if (isText(hsCode) && normalizeHsCode(hsCode) === undefined)
      add(`/products/${i}/hsCode`, 'must be an HS subheading of 6 digits, e.g. 091020 or 0910.20');
  });

  for (const field of ['exportMarkets', 'targetMarkets']) {
    asArray(doc[field]).forEach((code, i) => {
      if (isText(code) && !isCountryCode(code))
        add(`/${field}/${i}`, 'is not an ISO 3166-1 alpha-2 country code (upper case, e.g. CH)');
    });
  }

  asArray(doc.contacts).forEach((contact, i) => {
    const phone = asObject(contact).phone;
    if (isText(phone) && !isPhone(phone))
      add(`/contacts/${i}/phone`, 'must be a valid phone number in E.164 form, e.g. +212612345678');
  });

  errors.push(...dateErrors(doc, base));
  return errors;
}

function dateErrors(doc: Doc, base: string): FieldError[] {
  const errors: FieldError[] = [];
  const now = today();
  const isDate = (v: unknown): v is string => isText(v) && /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (isDate(doc.joinedOn) && doc.joinedOn > now)
    errors.push({ pointer: `${base}/joinedOn`, message: 'must not be in the future' });
  if (isDate(doc.withdrawnOn)) {
    if (doc.withdrawnOn > now)
      errors.push({ pointer: `${base}/withdrawnOn`, message: 'must not be in the future' });
    else if (isDate(doc.joinedOn) && doc.withdrawnOn < doc.joinedOn)
      errors.push({
        pointer: `${base}/withdrawnOn`,
        message: `must not be before joinedOn (${doc.joinedOn})`,
      });
  }
  return errors;
}

/**
 * One error per field: the schema's first, else the rules'; every field is listed at once.
 */
function mergeErrors(schemaErrors: FieldError[], ruleErrors: FieldError[]): FieldError[] {
  const byPointer = new Map<string | undefined, FieldError>();
  // Nullable fields are `anyOf [T, null]`: ajv reports each branch; the first says it best.
  for (const error of [...schemaErrors, ...ruleErrors])
    if (!byPointer.has(error.pointer)) byPointer.set(error.pointer, error);
  return [...byPointer.values()];
}

export type DocumentValidator = (doc: unknown, base?: string, isPhone?: PhoneCheck) => FieldError[];

/** Validates a whole member document against a schema and the rules, pointers under `base`. */
export function documentValidator(schema: TSchema): DocumentValidator {
  const validate = bodyValidator(schema);
  return (doc, base = '', isPhone = isE164Phone) => {
    const schemaErrors = validate(doc)
      ? []
      : toFieldErrors(validate.errors ?? [], 'body').map((e) => ({
          pointer: `${base}${e.pointer ?? ''}`,
          message: e.message,
        }));
    return mergeErrors(schemaErrors, memberRuleErrors(doc, base, isPhone));
  };
}
