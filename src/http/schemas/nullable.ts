import { type Static, type TSchema, type TUnsafe, Type } from 'typebox';

/**
 * A response field that may be null, as one schema with a type list (`type: ['string', 'null']`,
 * JSON Schema 2020-12 as OpenAPI 3.1 has it) instead of `anyOf: [schema, null]`: the same
 * contract, in fewer words. For schemas of a single `type`; others (named schemas, `$ref`s)
 * keep `Type.Union([schema, Type.Null()])`, which the response serialiser reads the same way
 * (src/http/plugins/serialization.ts), so neither form is checked value by value.
 */
export function Nullable<T extends TSchema & { type: string }>(
  schema: T,
): TUnsafe<Static<T> | null> {
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}
