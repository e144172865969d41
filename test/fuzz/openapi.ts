/** The operations of the committed openapi.yaml, in the shape the fuzz and authz tests walk. */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

export type JsonSchema = Record<string, unknown>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  id: string;
  method: Method;
  /** OpenAPI template, e.g. `/v1/members/{id}`. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body: { schema: JsonSchema; required: boolean } | undefined;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface RawOperation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
}

/** Every operation of openapi.yaml (regenerate it with `npm run openapi`). */
export function loadOperations(): Operation[] {
  const text = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');
  const raw = YAML.parse(text, { maxAliasCount: -1 }) as {
    components: Components;
  };
  const doc = inlineComponents(raw, raw.components) as {
    paths: Record<string, Partial<Record<(typeof METHODS)[number], RawOperation>>>;
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method];
      if (!raw) continue;
      const schema = raw.requestBody?.content?.['application/json']?.schema;
      operations.push({
        id: raw.operationId,
        method: method.toUpperCase() as Method,
        path,
        parameters: raw.parameters ?? [],
        body: schema ? { schema, required: raw.requestBody?.required ?? false } : undefined,
      });
    }
  }
  return operations;
}

type Components = Record<string, Record<string, JsonSchema>>;
const COMPONENT = /^#\/components\/([^/]+)\/([^/]+)$/;

/**
 * The document with each `$ref` to a component (schema, parameter, response) replaced by that
 * component (none is recursive).
 */
function inlineComponents(node: unknown, components: Components): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineComponents(item, components));
  if (typeof node !== 'object' || node === null) return node;
  const { $ref, ...rest } = node as JsonSchema;
  const [, kind, name] = (typeof $ref === 'string' && COMPONENT.exec($ref)) || [];
  if (kind !== undefined && name !== undefined) {
    const target = components[kind]?.[name];
    if (!target) throw new Error(`openapi.yaml: unknown ${$ref}`);
    return inlineComponents({ ...target, ...rest }, components);
  }
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, inlineComponents(value, components)]),
  );
}

/** The URL of an operation with its path parameters filled in (percent-encoded). */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodeURIComponent(wellFormed(values[name] ?? '')),
  );
}

export const pathParameterNames = (template: string): string[] =>
  [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with lone surrogates replaced (U+FFFD), as a URL must carry it. */
export const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');
