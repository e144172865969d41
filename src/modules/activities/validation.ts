import type { TSchema } from 'typebox';
import { bodyValidator, toFieldErrors } from '../../http/plugins/validation.js';
import type { FieldError } from '../../http/problem.js';
import { isCountryCode } from '../reference/countries.js';

type Doc = Record<string, unknown>;

/** A body schema checked by hand, so that schema and rule errors come in one 400. */
export function schemaErrorsOf(schema: TSchema): (doc: unknown) => FieldError[] {
  const validate = bodyValidator(schema);
  return (doc) => (validate(doc) ? [] : toFieldErrors(validate.errors ?? [], 'body'));
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isDay = (v: unknown): v is string => isText(v) && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * Rules the JSON schema cannot say: dates in order, a real country, a Moroccan region only in
 * Morocco, each member once. Defensive about types: wrong types are the schema's errors.
 */
export function activityRuleErrors(doc: Doc): FieldError[] {
  const errors: FieldError[] = [];
  if (isDay(doc.startsOn) && isDay(doc.endsOn) && doc.endsOn < doc.startsOn)
    errors.push({ pointer: '/endsOn', message: `must not be before startsOn (${doc.startsOn})` });
  if (isText(doc.country) && doc.country.length === 2 && !isCountryCode(doc.country))
    errors.push({
      pointer: '/country',
      message: 'is not an ISO 3166-1 alpha-2 country code (upper case, e.g. MA)',
    });
  if (isText(doc.region) && isText(doc.country) && doc.country !== 'MA')
    errors.push({ pointer: '/region', message: 'is a Moroccan region: only for country MA' });
  const firstIndex = new Map<string, number>();
  memberIdsOf(doc.participants).forEach((memberId, i) => {
    if (memberId === undefined) return;
    const first = firstIndex.get(memberId);
    if (first !== undefined)
      errors.push({
        pointer: `/participants/${i}/memberId`,
        message: `repeats /participants/${first}/memberId`,
      });
    else firstIndex.set(memberId, i);
  });
  return errors;
}

/** The participants' member ids by position (undefined where there is none). */
export function memberIdsOf(participants: unknown): (string | undefined)[] {
  if (!Array.isArray(participants)) return [];
  return participants.map((p) => {
    const id = p !== null && typeof p === 'object' ? (p as Doc).memberId : undefined;
    return isText(id) ? id : undefined;
  });
}

/** First error per pointer: schema errors say it best, rules add what the schema cannot. */
export function mergeErrors(...lists: FieldError[][]): FieldError[] {
  const byPointer = new Map<string | undefined, FieldError>();
  for (const error of lists.flat())
    if (!byPointer.has(error.pointer)) byPointer.set(error.pointer, error);
  return [...byPointer.values()];
}
