/**
 * Seeded request cases for one operation: valid ones generated from its schemas
 * (json-schema-faker), and invalid ones made by mutating a valid one (fast-check draws the
 * choices, so a seed replays a run exactly).
 */
import fc from 'fast-check';
import { generateSync } from 'json-schema-faker';
import type { JsonSchema, Operation, Parameter } from './openapi.js';
import {
  BAD_CURSORS,
  BAD_IDS,
  BAD_LIMITS,
  DEEP_LEVELS,
  deepJson,
  MALFORMED_BODIES,
  megabyteString,
  ODD_STRINGS,
} from './values.js';

const KINDS = [
  'valid',
  'wrong-type',
  'missing-required',
  'unknown-property',
  'too-long',
  'megabyte',
  'deep-nesting',
  'odd-string',
  'bad-id',
  'bad-page',
  'malformed-body',
] as const;
export type Kind = (typeof KINDS)[number];

export interface FuzzCase {
  kind: Kind;
  /** Which key sends it: mostly admin (reaches every operation), sometimes a partner's. */
  key: 'admin' | 'partner';
  pathValues: Record<string, string>;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The JSON body, or undefined for none. */
  body: unknown;
  /** Sent verbatim instead of `body` (malformed or deeply nested JSON). */
  raw?: { contentType: string; text: string };
  /** If-Match is filled with the target's current ETag before sending. */
  currentEtag: boolean;
}

/** Existing values for path parameters, keyed `<path template> <parameter>`. */
export type Pools = Map<string, string[]>;
export const poolKey = (path: string, parameter: string) => `${path} ${parameter}`;

interface Plan {
  kind: Kind;
  seed: number;
  pick: number;
  partner: boolean;
  realIds: boolean;
  uuid: string;
  odd: string;
  noise: unknown;
}

const planArbitrary: fc.Arbitrary<Plan> = fc.record({
  kind: fc.oneof(
    { weight: 8, arbitrary: fc.constant<Kind>('valid') },
    { weight: 12, arbitrary: fc.constantFrom<Kind>(...KINDS.filter((k) => k !== 'valid')) },
  ),
  seed: fc.nat(),
  pick: fc.nat(),
  partner: fc.nat(4).map((n) => n === 0),
  realIds: fc.nat(3).map((n) => n > 0),
  uuid: fc.uuid(),
  odd: fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: 'binary', maxLength: 40 })),
  noise: fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom(null, true, 0, -1, 1.5, 1e308, '', [], {}),
  ),
});

/** `runs` cases for the operation, the same for the same seed. */
export function fuzzCases(
  operation: Operation,
  pools: Pools,
  seed: number,
  runs: number,
): FuzzCase[] {
  const plans = fc.sample(planArbitrary, { seed, numRuns: runs });
  return plans.map((plan) => materialize(operation, pools, plan));
}

const fake = (schema: JsonSchema, seed: number): unknown =>
  generateSync(schema as never, {
    seed,
    optionalsProbability: 0.5,
    maxDefaultItems: 2,
    maxItems: 3,
    maxLength: 60,
  });

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value) ?? '');

function validCase(operation: Operation, pools: Pools, plan: Plan): FuzzCase {
  const pathValues: Record<string, string> = {};
  const query: FuzzCase['query'] = {};
  const headers: Record<string, string> = {};
  let currentEtag = false;
  operation.parameters.forEach((parameter, index) => {
    const seed = plan.seed + index + 1;
    if (parameter.in === 'path') {
      const pool = pools.get(poolKey(operation.path, parameter.name)) ?? [];
      pathValues[parameter.name] =
        plan.realIds && pool.length > 0
          ? (pool[(plan.pick + index) % pool.length] as string)
          : parameter.schema.format === 'uuid'
            ? plan.uuid
            : asText(fake(parameter.schema, seed));
    } else if (parameter.in === 'query') {
      if (!parameter.required && (plan.seed + index) % 2 === 0) return;
      const value = fake(parameter.schema, seed);
      query[parameter.name] = Array.isArray(value) ? value.map(asText) : asText(value);
    } else if (parameter.name === 'if-match') {
      currentEtag = plan.realIds;
      if (!currentEtag) headers[parameter.name] = `"${plan.pick % 5}"`;
    } else if (parameter.required || (plan.seed + index) % 2 === 0) {
      headers[parameter.name] = asText(fake(parameter.schema, seed));
    }
  });
  const body = operation.body ? fake(operation.body.schema, plan.seed) : undefined;
  return {
    kind: 'valid',
    key: plan.partner ? 'partner' : 'admin',
    pathValues,
    query,
    headers,
    body,
    currentEtag,
  };
}

function materialize(operation: Operation, pools: Pools, plan: Plan): FuzzCase {
  const base = validCase(operation, pools, plan);
  const mutate = MUTATIONS[plan.kind];
  const mutated = mutate({ ...base, kind: plan.kind }, operation, plan);
  return mutated;
}

type Mutation = (c: FuzzCase, operation: Operation, plan: Plan) => FuzzCase;
type Segment = string | number;

const MUTATIONS: Record<Kind, Mutation> = {
  valid: (c) => c,
  'wrong-type': (c, op, plan) =>
    op.body && plan.pick % 3 !== 0
      ? { ...c, body: replaceAt(c.body, pickNode(c.body, plan.pick), plan.noise) }
      : onParameter(c, op, plan, () => asText(plan.noise)),
  'missing-required': (c, op, plan) => {
    const slots = op.body ? requiredSlots(op.body.schema, c.body, []) : [];
    if (slots.length > 0 && plan.pick % 4 !== 0) {
      const slot = slots[plan.pick % slots.length] as Segment[];
      return { ...c, body: removeAt(c.body, slot) };
    }
    const required = op.parameters.filter((p) => p.required && p.in !== 'path');
    const victim = required[plan.pick % Math.max(1, required.length)];
    if (!victim) return op.body ? { ...c, body: undefined } : c;
    return withoutParameter(c, victim);
  },
  'unknown-property': (c, op, plan) => {
    const objects = nodes(c.body).filter((n) => isObject(n.value));
    if (op.body && objects.length > 0 && plan.pick % 3 !== 0) {
      const target = objects[plan.pick % objects.length] as Node;
      const name = ['fuzzExtra', '__proto__', 'constructor', 'id', 'version'][plan.pick % 5];
      return {
        ...c,
        body: replaceAt(c.body, target.path, {
          ...(target.value as object),
          [name as string]: plan.noise,
        }),
      };
    }
    return { ...c, query: { ...c.query, [`fuzz${plan.pick % 7}`]: asText(plan.noise) } };
  },
  'too-long': (c, op, plan) => {
    const limited = op.body ? lengthSlots(op.body.schema, c.body, []) : [];
    if (limited.length > 0 && plan.pick % 3 !== 0) {
      const slot = limited[plan.pick % limited.length] as { path: Segment[]; max: number };
      return {
        ...c,
        body: replaceAt(c.body, slot.path, 'x'.repeat(slot.max + 1 + (plan.pick % 50))),
      };
    }
    return onParameter(c, op, plan, (p) =>
      'y'.repeat(typeof p.schema.maxLength === 'number' ? p.schema.maxLength + 1 : 10_000),
    );
  },
  megabyte: (c, op, plan) => {
    const huge = megabyteString(plan.pick % 2 === 0);
    if (!op.body) return onParameter(c, op, plan, () => huge.slice(0, 100_000));
    const strings = nodes(c.body).filter((n) => typeof n.value === 'string');
    const target = strings[plan.pick % Math.max(1, strings.length)]?.path ?? [];
    return { ...c, body: replaceAt(c.body, target, huge) };
  },
  'deep-nesting': (c, op, plan) => {
    const deep = deepJson(DEEP_LEVELS, plan.pick % 2 === 0 ? 'array' : 'object');
    if (!op.body) return onParameter(c, op, plan, () => deep.slice(0, 4000));
    const marker = '"__fuzz_deep__"';
    const target = pickNode(c.body, plan.pick);
    const text = JSON.stringify(replaceAt(c.body, target, '__fuzz_deep__')).replace(marker, deep);
    return { ...c, raw: { contentType: 'application/json', text } };
  },
  'odd-string': (c, op, plan) => {
    const strings = nodes(c.body).filter((n) => typeof n.value === 'string');
    if (op.body && strings.length > 0 && plan.pick % 3 !== 0) {
      const target = strings[plan.pick % strings.length] as Node;
      return { ...c, body: replaceAt(c.body, target.path, plan.odd) };
    }
    return onParameter(c, op, plan, () => plan.odd);
  },
  'bad-id': (c, op, plan) => {
    const bad = BAD_IDS[plan.pick % BAD_IDS.length] as string;
    const ids = op.parameters.filter((p) => p.in === 'path');
    if (ids.length > 0) {
      const target = ids[plan.pick % ids.length] as Parameter;
      return { ...c, pathValues: { ...c.pathValues, [target.name]: bad } };
    }
    const uuids = nodes(c.body).filter(
      (n) => typeof n.value === 'string' && /Id$/.test(String(n.path.at(-1))),
    );
    if (uuids.length > 0) {
      return { ...c, body: replaceAt(c.body, (uuids[plan.pick % uuids.length] as Node).path, bad) };
    }
    return {
      ...c,
      query: { ...c.query, cursor: BAD_CURSORS[plan.pick % BAD_CURSORS.length] as string },
    };
  },
  'bad-page': (c, _op, plan) =>
    plan.pick % 2 === 0
      ? {
          ...c,
          query: { ...c.query, cursor: BAD_CURSORS[plan.pick % BAD_CURSORS.length] as string },
        }
      : { ...c, query: { ...c.query, limit: BAD_LIMITS[plan.pick % BAD_LIMITS.length] as string } },
  'malformed-body': (c, _op, plan) => {
    const malformed = MALFORMED_BODIES[
      plan.pick % MALFORMED_BODIES.length
    ] as (typeof MALFORMED_BODIES)[number];
    return { ...c, raw: { contentType: malformed.contentType, text: malformed.body } };
  },
};

/** Puts a value into one path, query or header parameter (chosen by the plan). */
function onParameter(
  c: FuzzCase,
  op: Operation,
  plan: Plan,
  value: (p: Parameter) => string,
): FuzzCase {
  const candidates = op.parameters.filter((p) => p.name !== 'if-match' || !c.currentEtag);
  const target = candidates[plan.pick % Math.max(1, candidates.length)];
  if (!target)
    return {
      ...c,
      query: { ...c.query, q: value({ name: 'q', in: 'query', required: false, schema: {} }) },
    };
  const text = value(target);
  if (target.in === 'path') return { ...c, pathValues: { ...c.pathValues, [target.name]: text } };
  if (target.in === 'query') return { ...c, query: { ...c.query, [target.name]: text } };
  // Header values must be visible Latin-1 to be sent at all: keep what HTTP can carry.
  const header = Buffer.from(text, 'latin1')
    .toString('latin1')
    .replace(/[^\x20-\x7E]/g, '?');
  return { ...c, headers: { ...c.headers, [target.name]: header.slice(0, 8000) } };
}

function withoutParameter(c: FuzzCase, p: Parameter): FuzzCase {
  const from = p.in === 'query' ? { ...c.query } : { ...c.headers };
  delete from[p.name];
  return p.in === 'query'
    ? { ...c, query: from }
    : { ...c, headers: from as Record<string, string> };
}

interface Node {
  path: Segment[];
  value: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every node of a JSON value, the root first. */
function nodes(value: unknown, path: Segment[] = [], out: Node[] = []): Node[] {
  if (value === undefined) return out;
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => void nodes(v, [...path, i], out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

function pickNode(value: unknown, pick: number): Segment[] {
  const all = nodes(value);
  return all[pick % Math.max(1, all.length)]?.path ?? [];
}

function replaceAt(value: unknown, path: Segment[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  if (Array.isArray(value)) {
    const copy = [...value];
    copy[head as number] = replaceAt(copy[head as number], rest, replacement);
    return copy;
  }
  if (isObject(value))
    return { ...value, [head]: replaceAt(value[head as string], rest, replacement) };
  return value;
}

function removeAt(value: unknown, path: Segment[]): unknown {
  const parent = path.slice(0, -1);
  const last = path.at(-1);
  const holder = nodes(value).find((n) => samePath(n.path, parent))?.value;
  if (!isObject(holder) || typeof last !== 'string') return value;
  const { [last]: _removed, ...rest } = holder;
  return replaceAt(value, parent, rest);
}

const samePath = (a: Segment[], b: Segment[]) =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** Sub-schemas that may describe a value: the schema itself and its anyOf/oneOf/allOf branches. */
function branches(schema: JsonSchema): JsonSchema[] {
  const nested = ['anyOf', 'oneOf', 'allOf'].flatMap(
    (k) => (schema[k] as JsonSchema[] | undefined) ?? [],
  );
  return [schema, ...nested.flatMap(branches)];
}

/** Paths of required properties present in the value. */
function requiredSlots(schema: JsonSchema, value: unknown, path: Segment[]): Segment[][] {
  const out: Segment[][] = [];
  for (const s of branches(schema)) {
    if (isObject(value)) {
      for (const name of (s.required as string[] | undefined) ?? [])
        if (name in value) out.push([...path, name]);
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const [name, sub] of Object.entries(properties))
        if (name in value) out.push(...requiredSlots(sub, value[name], [...path, name]));
    } else if (Array.isArray(value) && isObject(s.items)) {
      value.forEach((v, i) => {
        out.push(...requiredSlots(s.items as JsonSchema, v, [...path, i]));
      });
    }
  }
  return out;
}

/** Paths of strings whose schema has a maxLength, with it. */
function lengthSlots(
  schema: JsonSchema,
  value: unknown,
  path: Segment[],
): { path: Segment[]; max: number }[] {
  const out: { path: Segment[]; max: number }[] = [];
  for (const s of branches(schema)) {
    if (typeof value === 'string' && typeof s.maxLength === 'number')
      out.push({ path, max: s.maxLength });
    if (isObject(value)) {
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const [name, sub] of Object.entries(properties))
        if (name in value) out.push(...lengthSlots(sub, value[name], [...path, name]));
    } else if (Array.isArray(value) && isObject(s.items)) {
      value.forEach((v, i) => {
        out.push(...lengthSlots(s.items as JsonSchema, v, [...path, i]));
      });
    }
  }
  return out;
}
