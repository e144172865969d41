/**
 * Text fields refuse control characters (docs/kpis.md → Texts): they break CSV cells, make XML
 * exports invalid and hide text from people. Multi-line text (comments, descriptions, grid
 * help) may hold tab and line breaks; a field says so with `'x-multiline': true`. The rule is
 * applied once, to every free-text string of every request schema (validation.ts, openapi.ts),
 * so each module gets it without writing it.
 */

/** The schema annotation that allows tab, LF and CR in a field. */
export const MULTILINE = 'x-multiline';

// No C0 control, DEL or C1 control; multi-line text may hold tab, LF and CR.
const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f-\\u009f]*$';
const MULTI_LINE_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$';
const TEXT_PATTERNS = new Set([SINGLE_LINE_PATTERN, MULTI_LINE_PATTERN]);

export const PLAIN_TEXT_MESSAGE =
  'must not contain control characters (tab and line breaks only in multi-line text)';

/** True when a failed `pattern` is the plain-text rule (for a readable error message). */
export const isTextPattern = (pattern: unknown) => TEXT_PATTERNS.has(pattern as string);

const CHILD_SCHEMAS = ['items', 'additionalProperties', 'not', 'contains'];
const CHILD_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const isString = (schema: Record<string, unknown>) =>
  schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'));

/** Strings already narrowed (a pattern, a format, a list of values) keep their own rule. */
const isFreeText = (schema: Record<string, unknown>) =>
  isString(schema) &&
  schema.pattern === undefined &&
  schema.format === undefined &&
  schema.enum === undefined &&
  schema.const === undefined;

/**
 * A copy of a request schema in which every free-text string carries the plain-text pattern.
 * Applied to the validators and to the OpenAPI document alike, so the contract shows the rule.
 */
export function withPlainText<T>(schema: T): T {
  // A named schema (components.ts) had the rule applied when it was named.
  if (!isObject(schema) || typeof schema.$id === 'string') return schema;
  const copy: Record<string, unknown> = { ...schema };
  if (isFreeText(copy))
    copy.pattern = copy[MULTILINE] === true ? MULTI_LINE_PATTERN : SINGLE_LINE_PATTERN;
  for (const key of CHILD_SCHEMAS) if (isObject(copy[key])) copy[key] = withPlainText(copy[key]);
  for (const key of CHILD_LISTS)
    if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map(withPlainText);
  for (const key of CHILD_MAPS) {
    const map = copy[key];
    if (isObject(map))
      copy[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, withPlainText(v)]));
  }
  return copy as T;
}
