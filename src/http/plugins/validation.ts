import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type {
  FastifyInstance,
  FastifyRequest,
  FastifySchemaCompiler,
  FastifySchemaValidationError,
} from 'fastify';
import { badRequest, type FieldError } from '../problem.js';
import { components } from '../schemas/components.js';
import { DATE_MESSAGE, isCalendarDate } from '../schemas/dates.js';
import { isTextPattern, MULTILINE, PLAIN_TEXT_MESSAGE, withPlainText } from '../schemas/text.js';

const common: Options = {
  allErrors: true,
  useDefaults: true,
  strict: false,
  // OpenAPI keywords our schemas carry for the documentation only.
  keywords: ['example', 'x-internal', MULTILINE],
};

function withFormats(options: Options): Ajv {
  const ajv = new Ajv(options);
  addFormats.default(ajv);
  // Every calendar date input, whatever schema it is in, within one range (src/http/schemas/dates.ts).
  ajv.addFormat('date', { type: 'string', validate: isCalendarDate });
  return ajv;
}

/** Bodies are checked as sent: no coercion, and unknown properties are rejected, not stripped. */
const bodyAjv = withFormats({ ...common, coerceTypes: false, removeAdditional: false });
/** Query strings, path parameters and headers are text on the wire: coercion is their nature. */
const textAjv = withFormats({
  ...common,
  coerceTypes: 'array',
  removeAdditional: false,
});

const known = new Map<Ajv, number>();

/** The validator knows every named schema (components.ts) defined so far, by the same objects. */
function withComponents(ajv: Ajv): Ajv {
  const all = components();
  for (let i = known.get(ajv) ?? 0; i < all.length; i++) ajv.addSchema(all[i] as object);
  known.set(ajv, all.length);
  return ajv;
}

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = withComponents(httpPart === 'body' ? bodyAjv : textAjv);
  return ajv.compile(withPlainText(schema as object)) as ReturnType<FastifySchemaCompiler<unknown>>;
};

export type BodyValidator = ((value: unknown) => boolean) & {
  errors?: FastifySchemaValidationError[] | null;
};

/** The service's body validator for a schema, for code (and tests) that check documents by hand. */
export function bodyValidator(schema: object): BodyValidator {
  return validatorCompiler({ schema, method: 'POST', url: '/', httpPart: 'body' }) as BodyValidator;
}

/** Turns ajv's errors into our field errors: a pointer per body problem, a name per parameter. */
export function toFieldErrors(
  errors: FastifySchemaValidationError[],
  context: string,
): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors as ErrorObject[]) {
    const field = describe(error, context);
    const key = `${field.pointer ?? field.parameter}|${field.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      result.push(field);
    }
  }
  return result;
}

function describe(error: ErrorObject, context: string): FieldError {
  let path = error.instancePath;
  let message = error.message ?? 'is invalid';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    path = `${path}/${escapePointerSegment(String(params.missingProperty))}`;
    message = 'is required';
  } else if (error.keyword === 'additionalProperties') {
    path = `${path}/${escapePointerSegment(String(params.additionalProperty))}`;
    message = 'is not a known property';
  } else if (error.keyword === 'format' && params.format === 'date') {
    message = DATE_MESSAGE;
  } else if (error.keyword === 'pattern' && isTextPattern(params.pattern)) {
    message = PLAIN_TEXT_MESSAGE;
  } else if (error.keyword === 'enum') {
    message = `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (context === 'body') return { pointer: path, message };
  const parameter = path.split('/').filter(Boolean).join('.');
  return { parameter: parameter || context, message };
}

function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Deeper than any documented body; beyond it recursive code (merge patch, hashing) could overflow. */
const MAX_BODY_DEPTH = 64;

/** Methods whose bodies Fastify never parses: their routes need no depth check. */
const BODILESS = new Set(['GET', 'HEAD']);

/**
 * Refuses JSON bodies nested deeper than MAX_BODY_DEPTH (400), before anything walks them. The
 * check is a hook of the routes that can receive a body, first of their own preValidation
 * hooks; GET and HEAD routes do not pay for it (bench/ablation.md).
 */
export function registerBodyDepthLimit(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((method) => BODILESS.has(method))) return;
    const own = route.preValidation;
    route.preValidation = [
      refuseDeepBodies,
      ...(own === undefined ? [] : Array.isArray(own) ? own : [own]),
    ];
  });
}

async function refuseDeepBodies(request: FastifyRequest) {
  if (nestingExceeds(request.body, MAX_BODY_DEPTH)) {
    throw badRequest(`The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`, [
      { pointer: '', message: 'is nested too deeply' },
    ]);
  }
}

/** Iterative, so that the check itself cannot overflow the stack. */
function nestingExceeds(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}

/**
 * For routes that validate their body themselves (schema and rules together, so that one 400
 * lists every problem, with `attachValidation`): other parts — path, query, headers — are still
 * refused as usual.
 */
export function rethrowNonBodyErrors(request: FastifyRequest) {
  const error = request.validationError as (Error & { validationContext?: string }) | undefined;
  if (error && error.validationContext !== 'body') throw error;
}
