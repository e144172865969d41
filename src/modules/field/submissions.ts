/**
 * Reading a Kobo or ODK Central submission of a grid's XLSForm back into an assessment's
 * answers (docs/field-collection.md). Pure: no I/O.
 *
 * - Kobo API v2 (`/api/v2/assets/{uid}/data/`): flat keys carrying the group path with `/`
 *   (`d_legal/c_leg_registration`), every value a string; `meta/rootUuid` stays the same across
 *   edits while `_uuid` changes; `_submission_time` is UTC without an offset.
 * - ODK Central OData (`…/Submissions`): groups as nested objects, numbers typed; `__id` is the
 *   instance id of the first version and stays across edits; `__system.submissionDate`.
 *
 * Fields are found by the name rule whatever group path carries them. A blank (absent, empty
 * or null) answer is unanswered, never zero.
 */
import type { FieldError } from '../../http/problem.js';
import type { Criterion, GridDefinition, MemberType } from '../grids/definition.js';
import { MEMBER_TYPES } from '../grids/definition.js';
import { type Answer, validateAnswers } from '../grids/scoring.js';
import { type CriterionNames, FIXED, type FormNames } from './form-names.js';
import { criterionChoices } from './xlsform.js';

export type SubmissionFormat = 'kobo' | 'odk';

/** One answered field: its value as sent and where it is in the request body. */
interface Field {
  value: unknown;
  pointer: string;
}

export interface ReadSubmission {
  /** `kobo:<rootUuid or _uuid>` or `odk:<__id>`, without the `uuid:` prefix. */
  submissionId: string | undefined;
  memberRef: string | undefined;
  memberType: MemberType | undefined;
  assessedOn: string | undefined;
  assessor: { name: string; organisation?: string } | undefined;
  answers: Answer[];
  errors: FieldError[];
}

const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** Kobo: the last segment of each `/` path is the field's name. */
function koboFields(record: Record<string, unknown>, base: string) {
  const fields = new Map<string, Field[]>();
  for (const [key, value] of Object.entries(record)) {
    const name = key.slice(key.lastIndexOf('/') + 1);
    const list = fields.get(name) ?? [];
    list.push({ value, pointer: `${base}/${escapePointer(key)}` });
    fields.set(name, list);
  }
  return fields;
}

/** ODK Central: every key of every nested group object; `__…` keys are Central's own. */
function odkFields(
  record: Record<string, unknown>,
  base: string,
  into = new Map<string, Field[]>(),
) {
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith('__')) continue;
    const pointer = `${base}/${escapePointer(key)}`;
    const group = asRecord(value);
    if (group !== undefined) odkFields(group, pointer, into);
    else {
      const list = into.get(key) ?? [];
      list.push({ value, pointer });
      into.set(key, list);
    }
  }
  return into;
}

const stripUuid = (id: string) => id.replace(/^uuid:/i, '');
const nonBlankString = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The stable id and the submission time (UTC) of a record, by the tool's own keys. */
function systemFields(format: SubmissionFormat, record: Record<string, unknown>) {
  if (format === 'kobo') {
    const id = nonBlankString(record['meta/rootUuid']) ?? nonBlankString(record._uuid);
    return {
      submissionId: id && `kobo:${stripUuid(id)}`,
      submittedAt: nonBlankString(record._submission_time),
      submitter: nonBlankString(record._submitted_by),
    };
  }
  const system = asRecord(record.__system);
  const id = nonBlankString(record.__id);
  return {
    submissionId: id && `odk:${stripUuid(id)}`,
    submittedAt: nonBlankString(system?.submissionDate),
    submitter: nonBlankString(system?.submitterName),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}/;

function isCalendarDate(day: string): boolean {
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** The form's date, else the day (UTC) the server received the submission. */
function assessedOnOf(
  form: Field | undefined,
  submittedAt: string | undefined,
  errors: FieldError[],
) {
  if (form !== undefined && !isBlank(form.value)) {
    const day = typeof form.value === 'string' ? form.value.trim().slice(0, 10) : '';
    if (DATE.test(day) && isCalendarDate(day)) return day;
    errors.push({ pointer: form.pointer, message: 'must be a date YYYY-MM-DD' });
    return undefined;
  }
  if (submittedAt !== undefined) {
    // Kobo writes UTC without an offset; Central writes an offset (usually Z).
    const utc = /[zZ]|[+-]\d{2}:?\d{2}$/.test(submittedAt) ? submittedAt : `${submittedAt}Z`;
    const time = new Date(utc);
    if (!Number.isNaN(time.getTime())) return time.toISOString().slice(0, 10);
  }
  errors.push({
    pointer: form?.pointer ?? '',
    message: `no ${FIXED.assessedOn} and no submission time: the day of the visit is unknown`,
  });
  return undefined;
}

/** A select_one value as sent: a string (Kobo, Central) or a number (a scale level). */
const choiceText = (value: unknown) =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;

function choiceAnswer(criterion: Criterion, field: Field, errors: FieldError[]): Answer | null {
  const picked = choiceText(field.value);
  const choices = criterionChoices(criterion).map((c) => c.name);
  if (picked === undefined || !choices.includes(picked)) {
    errors.push({
      pointer: field.pointer,
      message: `criterion "${criterion.code}": must be one of ${choices.map((c) => `"${c}"`).join(', ')}`,
    });
    return null;
  }
  // criterionChoices puts the N/A choice last where the criterion allows it.
  if (criterion.notApplicableAllowed && picked === choices.at(-1)) {
    return { criterion: criterion.code, notApplicable: true };
  }
  switch (criterion.answer.type) {
    case 'boolean':
      return { criterion: criterion.code, value: picked === 'yes' };
    case 'scale':
      return { criterion: criterion.code, value: Number(picked) };
    default:
      return { criterion: criterion.code, value: picked };
  }
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function numberAnswer(criterion: Criterion, field: Field, errors: FieldError[]): Answer | null {
  const raw = field.value;
  const value =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && DECIMAL.test(raw.trim())
        ? Number(raw)
        : NaN;
  if (!Number.isFinite(value)) {
    errors.push({
      pointer: field.pointer,
      message: `criterion "${criterion.code}": must be a number`,
    });
    return null;
  }
  return { criterion: criterion.code, value };
}

/** The answer of one criterion from its fields; null when unanswered or wrong. */
function criterionAnswer(
  names: CriterionNames,
  fields: Map<string, Field>,
  errors: FieldError[],
): { answer: Answer; pointer: string } | null {
  const { criterion } = names;
  const main = fields.get(names.question);
  const na = names.notApplicable === null ? undefined : fields.get(names.notApplicable);
  if (na !== undefined && !isBlank(na.value)) {
    const picked = choiceText(na.value);
    if (picked !== 'na' && picked !== 'applies') {
      errors.push({ pointer: na.pointer, message: 'must be "applies" or "na"' });
      return null;
    }
    if (picked === 'na') {
      if (main !== undefined && !isBlank(main.value)) {
        errors.push({
          pointer: main.pointer,
          message: `criterion "${criterion.code}": answered and marked not applicable`,
        });
        return null;
      }
      return { answer: { criterion: criterion.code, notApplicable: true }, pointer: na.pointer };
    }
  }
  if (main === undefined || isBlank(main.value)) return null;
  const answer =
    criterion.answer.type === 'number'
      ? numberAnswer(criterion, main, errors)
      : choiceAnswer(criterion, main, errors);
  return answer && { answer, pointer: main.pointer };
}

/** One field per name: a name met twice (in two groups) is ambiguous. */
function singleFields(all: Map<string, Field[]>, names: Set<string>, errors: FieldError[]) {
  const fields = new Map<string, Field>();
  for (const [name, list] of all) {
    if (!names.has(name)) continue;
    if (list.length > 1) {
      errors.push({
        pointer: list[1]!.pointer,
        message: `"${name}" appears more than once (first at ${list[0]!.pointer})`,
      });
    }
    fields.set(name, list[0]!);
  }
  return fields;
}

function textField(field: Field | undefined, max: number, errors: FieldError[]) {
  if (field === undefined || isBlank(field.value)) return undefined;
  const value = typeof field.value === 'string' ? field.value.trim() : undefined;
  if (value === undefined || value.length > max) {
    errors.push({ pointer: field.pointer, message: `must be a text of at most ${max} characters` });
    return undefined;
  }
  return value;
}

function memberTypeOf(field: Field | undefined, errors: FieldError[]) {
  if (field === undefined || isBlank(field.value)) return undefined;
  const type = choiceText(field.value);
  if (MEMBER_TYPES.includes(type as MemberType)) return type as MemberType;
  errors.push({ pointer: field.pointer, message: `must be one of ${MEMBER_TYPES.join(', ')}` });
  return undefined;
}

/**
 * Reads one submission. Fields of other forms or of Kobo's and Central's own metadata are
 * ignored; every problem is listed with a pointer into the request body (`base`).
 */
export function readSubmission(
  grid: GridDefinition,
  names: FormNames,
  format: SubmissionFormat,
  raw: unknown,
  base: string,
): ReadSubmission {
  const errors: FieldError[] = [];
  const record = asRecord(raw);
  if (record === undefined) {
    return {
      ...{ submissionId: undefined, memberRef: undefined, memberType: undefined },
      ...{ assessedOn: undefined, assessor: undefined, answers: [] },
      errors: [{ pointer: base, message: 'must be an object (one submission record)' }],
    };
  }
  const wanted = new Set<string>([...Object.values(FIXED), ...names.byQuestion.keys()]);
  const all = format === 'kobo' ? koboFields(record, base) : odkFields(record, base);
  const fields = singleFields(all, wanted, errors);
  const system = systemFields(format, record);
  if (system.submissionId === undefined) {
    const keys = format === 'kobo' ? '`meta/rootUuid` or `_uuid`' : '`__id`';
    errors.push({ pointer: base, message: `has no submission id (${keys})` });
  }

  const memberRef = textField(fields.get(FIXED.memberRef), 200, errors);
  if (memberRef === undefined) {
    errors.push({
      pointer: fields.get(FIXED.memberRef)?.pointer ?? base,
      message: `${FIXED.memberRef} is blank: the member is unknown`,
    });
  }
  const memberType = memberTypeOf(fields.get(FIXED.memberType), errors);
  const assessedOn = assessedOnOf(fields.get(FIXED.assessedOn), system.submittedAt, errors);
  const name = textField(fields.get(FIXED.assessorName), 200, errors) ?? system.submitter;
  const organisation = textField(fields.get(FIXED.assessorOrganisation), 200, errors);
  if (name === undefined) {
    errors.push({
      pointer: fields.get(FIXED.assessorName)?.pointer ?? base,
      message: `${FIXED.assessorName} is blank and the submission names no submitter`,
    });
  }

  const answers: Answer[] = [];
  const pointers: string[] = [];
  for (const criterion of names.criteria) {
    const read = criterionAnswer(criterion, fields, errors);
    if (read === null) continue;
    answers.push(read.answer);
    pointers.push(read.pointer);
  }
  // The grid's own rules (e.g. a value out of range), pointed at the field that carried it.
  for (const issue of validateAnswers(grid, answers)) {
    const index = Number(issue.pointer.split('/')[2]);
    errors.push({ pointer: pointers[index] ?? base, message: issue.message });
  }
  return {
    submissionId: system.submissionId,
    memberRef,
    memberType,
    assessedOn,
    assessor:
      name === undefined
        ? undefined
        : { name: name.slice(0, 200), ...(organisation ? { organisation } : {}) },
    answers,
    errors,
  };
}
