import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import fc from 'fast-check';
import t from 'tap';
import { buildSerializer } from '../../src/http/plugins/serialization.js';

// A nullable named object, a nullable array, a nullable text inside, and a three-branch union
// that must stay as it is.
const Inner = {
  $id: 'Inner',
  type: 'object',
  properties: {
    a: { type: 'number' },
    b: { anyOf: [{ type: 'string' }, { type: 'null' }] },
  },
  required: ['a', 'b'],
};
const Outer = {
  type: 'object',
  properties: {
    x: { anyOf: [{ $ref: 'Inner#' }, { type: 'null' }], description: 'nullable object' },
    y: { anyOf: [{ type: 'null' }, { type: 'array', items: { type: 'integer' } }] },
    z: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] },
  },
  required: ['x', 'y', 'z'],
};
const route = { schema: Outer, method: 'GET', url: '/', httpStatus: '200' };

const value = fc.record({
  x: fc.option(
    fc.record({
      a: fc.double({ noNaN: true, noDefaultInfinity: true }),
      b: fc.option(fc.string()),
    }),
    { nil: null },
  ),
  y: fc.option(fc.array(fc.integer()), { nil: null }),
  z: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
});

t.test(
  'nullable unions serialise as with the stock compiler, without a check per value',
  async (t) => {
    const before = JSON.stringify({ Inner, Outer });
    const ours = buildSerializer({ Inner }, {})(route) as (v: unknown) => string;
    const stock = SerializerSelector()({ Inner }, {})(route) as (v: unknown) => string;
    t.equal(JSON.stringify({ Inner, Outer }), before, 'the schemas themselves are left unchanged');

    fc.assert(
      fc.property(value, (v) => {
        const text = ours(v);
        return text === stock(v) && text === JSON.stringify(v);
      }),
      { numRuns: 500 },
    );
    t.equal(ours({ x: null, y: null, z: null }), '{"x":null,"y":null,"z":null}');

    // fast-json-stringify compiles a check (ajv) for each anyOf branch it has to try: the stock
    // serialiser has them for x, y and z, ours for the three-branch z only.
    const checks = (f: unknown) => (String(f).match(/getSchemaValidator/g) ?? []).length;
    t.ok(checks(stock) >= 5, `the stock serialiser checks every branch (${checks(stock)} checks)`);
    t.equal(checks(ours), 3, 'ours checks the branches of z only');
  },
);
