import { type SerializerFactory, SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * Fastify's response serialisers (fast-json-stringify), compiled from schemas in which a
 * nullable field, `anyOf: [schema, { type: 'null' }]` (TypeBox's `Type.Union([schema,
 * Type.Null()])`), reads as the schema with fast-json-stringify's `nullable` keyword. The text
 * written is the same. For an `anyOf`, fast-json-stringify checks the value against each branch
 * with ajv on every response; for an assessment, that means its whole result: about 330 µs of a
 * submission's CPU (bench/ablation.md). The contract and the request validators keep the `anyOf`.
 */
export const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const named = (externalSchemas ?? {}) as Record<string, unknown>;
  const rewrite = (schema: unknown) => withNullable(schema, named);
  const schemas = Object.fromEntries(Object.entries(named).map(([id, s]) => [id, rewrite(s)]));
  const compile = SerializerSelector()(schemas, options);
  return (route) => compile({ ...route, schema: rewrite(route.schema) });
};

/**
 * A copy of the schema with every two-branch `anyOf` of which one is null made `nullable`. The
 * other branch needs its `type` (ajv, which fast-json-stringify still runs for other unions,
 * refuses `nullable` without it): a `$ref` takes the named schema's.
 */
function withNullable(schema: unknown, named: Record<string, unknown>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => withNullable(item, named));
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = withNullable(value, named);
  const { anyOf, ...siblings } = copy;
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return copy;
  const others = anyOf.filter((branch) => !isNull(branch));
  const type = typeOf(others[0], named);
  if (others.length !== 1 || type === undefined) return copy;
  return { ...siblings, ...(others[0] as object), type, nullable: true };
}

function isNull(schema: unknown): boolean {
  return (
    typeof schema === 'object' &&
    schema !== null &&
    (schema as { type?: unknown }).type === 'null' &&
    Object.keys(schema).length === 1
  );
}

/** The branch's single `type`, or that of the named schema it points to (`Name#`). */
function typeOf(branch: unknown, named: Record<string, unknown>): string | undefined {
  const { type, $ref } = (branch ?? {}) as { type?: unknown; $ref?: unknown };
  if (typeof type === 'string') return type;
  if (type !== undefined || typeof $ref !== 'string' || !$ref.endsWith('#')) return undefined;
  const target = named[$ref.slice(0, -1)] as { type?: unknown } | undefined;
  return typeof target?.type === 'string' ? target.type : undefined;
}
