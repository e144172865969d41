/**
 * Whether a request is valid for the documented contract, judged with ajv as the service is
 * configured (src/http/plugins/validation.ts): bodies as sent, parameters coerced from text.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema, Operation, Parameter } from './openapi.js';

// As the service: defaults fill in before `required` is checked (`limit` is documented required
// with a default of 20).
const options = {
  allErrors: false,
  strict: false,
  useDefaults: true,
  keywords: ['example', 'x-internal'],
};
const bodyAjv = new Ajv({ ...options, coerceTypes: false });
const textAjv = new Ajv({ ...options, coerceTypes: 'array' });
addFormats.default(bodyAjv);
addFormats.default(textAjv);

interface RequestParts {
  pathValues: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The parsed JSON body; `undefined` when none is sent. */
  body: unknown;
  /** False when the body is not JSON at all (malformed text, another media type). */
  bodyIsJson: boolean;
}

export type Conformance = (parts: RequestParts) => boolean;

function parameterObject(parameters: Parameter[], where: Parameter['in']): JsonSchema {
  const own = parameters.filter((p) => p.in === where);
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((p) => [p.name, p.schema])),
    required: own.filter((p) => p.required).map((p) => p.name),
    // The service refuses unknown query parameters where it declares some (OpenAPI cannot say).
    ...(where === 'query' && own.length > 0 ? { additionalProperties: false } : {}),
  };
}

/** Compiles the operation's documented request schemas into one validity check. */
export function conformanceOf(operation: Operation): Conformance {
  const path = textAjv.compile(parameterObject(operation.parameters, 'path'));
  const query = textAjv.compile(parameterObject(operation.parameters, 'query'));
  const headers = textAjv.compile(parameterObject(operation.parameters, 'header'));
  const body: ValidateFunction | undefined = operation.body
    ? bodyAjv.compile(operation.body.schema)
    : undefined;
  return (parts) => {
    // Coercion rewrites its input: validate copies.
    if (!path({ ...parts.pathValues }) || !query(structuredClone(parts.query))) return false;
    if (!headers({ ...parts.headers })) return false;
    if (!body) return true;
    if (parts.body === undefined) return !operation.body?.required;
    return parts.bodyIsJson && body(parts.body);
  };
}
