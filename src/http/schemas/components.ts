import type { FastifyInstance } from 'fastify';
import { type Static, type TSchema, type TUnsafe, Type } from 'typebox';
import { withPlainText } from './text.js';

/**
 * The named schemas of the contract. Each is registered once, here; routes and other schemas
 * point at it with `ref`, Fastify's serialisers and our validators resolve the reference, and
 * the OpenAPI document lists it under `components.schemas` by its name (docs/integrators.md).
 */
const registry: TSchema[] = [];
const names = new Set<string>();

function register<T extends TSchema>(name: string, schema: T): T {
  if (names.has(name)) throw new Error(`Schema component ${name} is defined twice`);
  names.add(name);
  Object.assign(schema, { $id: name });
  registry.push(schema);
  return schema;
}

/**
 * Names a schema a request may carry: it becomes `#/components/schemas/<name>` of the contract.
 * Free text refuses control characters here too, for the validators and the contract.
 */
export function component<T extends TSchema>(name: string, schema: T): T {
  Object.assign(schema, withPlainText(schema));
  return register(name, schema);
}

/**
 * Names a schema only answers carry (an entity as read). It stays as written: the plain-text
 * rule is a request rule, and an answer must serialise whatever text was stored.
 */
export function responseComponent<T extends TSchema>(name: string, schema: T): T {
  return register(name, schema);
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

/**
 * Registers every named schema with the app, so that the `$ref`s of routes resolve in their
 * validators and serializers; the OpenAPI document lists them as its components.
 */
export function registerComponents(app: FastifyInstance) {
  for (const schema of registry) app.addSchema(schema);
}
