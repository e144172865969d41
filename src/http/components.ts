import { type Static, type TSchema, type TUnsafe, Type } from 'typebox';
import { withPlainText } from './text.js';

/**
 * The named schemas of the contract. Each is registered once, here; routes and other schemas
 * point at it with `ref`, Fastify's serialisers and our validators resolve the reference, and
 * the OpenAPI document lists it under `components.schemas` by its name (docs/integrators.md).
 */
const registry: TSchema[] = [];
const names = new Set<string>();

/** Names a schema: it becomes `#/components/schemas/<name>` of the contract. */
export function component<T extends TSchema>(name: string, schema: T): T {
  if (names.has(name)) throw new Error(`Schema component ${name} is defined twice`);
  names.add(name);
  // Free text refuses control characters here too, for the validators and the contract.
  Object.assign(schema, withPlainText(schema));
  Object.assign(schema, { $id: name });
  registry.push(schema);
  return schema;
}

/**
 * A reference to a named schema, typed as the schema itself: `Type.Ref` would leave handlers
 * with `unknown`.
 */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const name = (schema as { $id?: unknown }).$id;
  if (typeof name !== 'string' || !names.has(name))
    throw new Error('ref() needs a schema named with component()');
  return Type.Unsafe<Static<T>>({ $ref: `${name}#` });
}

/** Every named schema, in the order they were defined. */
export function components(): readonly TSchema[] {
  return registry;
}
