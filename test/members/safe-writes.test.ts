import t from 'tap';
import { exampleAnswers, exampleGridBody, publishedGrid } from '../assessments/fixtures.js';
import { startTestApp } from '../helpers/app.js';
import { iceFor, ifMatch, memberBody, mergePatch } from './fixtures.js';

/** A member as a partner system sends it: no partnerCode (the path names it). */
const partnerRow = (overrides: Record<string, unknown> = {}) =>
  memberBody({ partnerCode: undefined, contacts: [], ...overrides });

t.test('sync: partner paths, the If-Match rule, ETags and import status codes', async (t) => {
  const { api, keyFor } = await startTestApp(t);
  const fenip = await keyFor('partner', 'FENIP');
  const fenipOther = await keyFor('partner', 'FENIP');

  t.test("another partner's partner-path is 403 on every route", async (t) => {
    const body = partnerRow();
    const put = await api({
      method: 'PUT',
      url: '/v1/partners/AMITH/members/A-1',
      body,
      key: fenip,
    });
    t.equal(put.statusCode, 403, put.body);
    t.equal(put.headers['content-type'], 'application/problem+json; charset=utf-8');
    const get = await api({ method: 'GET', url: '/v1/partners/AMITH/members/A-1', key: fenip });
    t.equal(get.statusCode, 403);
    const unknown = await api({ method: 'GET', url: '/v1/partners/NOPE/members/A-1', key: fenip });
    t.equal(unknown.statusCode, 403, 'not its own path, whether or not the partner exists');
    t.equal(
      (await api({ method: 'GET', url: '/v1/partners/AMITH', key: fenip })).statusCode,
      200,
      'the partner itself stays readable',
    );
    const admin = await api({ method: 'PUT', url: '/v1/partners/NOPE/members/X', body });
    t.equal(admin.statusCode, 404, 'an admin key on an unknown partner: 404');
  });

  t.test('GET by externalRef reads what PUT writes, with the same ETag', async (t) => {
    const url = '/v1/partners/FENIP/members/F-READ';
    const put = await api({ method: 'PUT', url, body: partnerRow(), key: fenip });
    t.equal(put.statusCode, 201, put.body);
    const get = await api({ method: 'GET', url, key: fenip });
    t.equal(get.statusCode, 200);
    t.same(get.json(), put.json());
    t.equal(get.headers.etag, put.headers.etag);
    t.equal(get.headers.etag, '"1"');
    const missing = await api({
      method: 'GET',
      url: '/v1/partners/FENIP/members/NONE',
      key: fenip,
    });
    t.equal(missing.statusCode, 404);
    const notModified = await api({
      method: 'GET',
      url,
      key: fenip,
      headers: { 'if-none-match': '"1"' },
    });
    t.equal(notModified.statusCode, 304);
    t.equal(notModified.body, '');
    t.equal(notModified.headers.etag, '"1"');
  });

  t.test(
    'the issue: admin PATCHes, partner PUT without If-Match → 428, nothing erased',
    async (t) => {
      const url = '/v1/partners/FENIP/members/FENIP-3';
      const created = await api({ method: 'PUT', url, body: partnerRow(), key: fenip });
      t.equal(created.statusCode, 201);
      const again = await api({
        method: 'PUT',
        url,
        body: partnerRow({ name: 'Renamed by FENIP' }),
        key: fenip,
      });
      t.equal(again.statusCode, 200, 'its own last write: no If-Match needed');
      t.equal(again.json().version, 2);
      const patched = await api({
        method: 'PATCH',
        url: `/v1/members/${created.json().id}`,
        headers: mergePatch(2),
        body: { city: 'Agadir', employees: { women: 7, men: 2 } },
      });
      t.equal(patched.statusCode, 200, patched.body);
      t.equal(patched.json().version, 3);

      const blind = await api({ method: 'PUT', url, body: partnerRow(), key: fenip });
      t.equal(blind.statusCode, 428, blind.body);
      t.match(blind.json(), {
        type: 'urn:jahiz:problem:precondition-required',
        status: 428,
        lastChangedBy: { kind: 'key', role: 'admin' },
        version: 3,
      });
      t.equal(blind.headers.etag, '"3"');
      const otherFenipKey = await api({ method: 'PUT', url, body: partnerRow(), key: fenipOther });
      t.equal(otherFenipKey.statusCode, 428, 'another credential of the same partner too');
      const kept = (await api({ method: 'GET', url, key: fenip })).json();
      t.equal(kept.city, 'Agadir', 'nothing erased');
      t.same(kept.employees, { women: 7, men: 2 });
      t.equal(kept.version, 3);

      const identical = await api({
        method: 'PUT',
        url,
        key: fenip,
        body: partnerRow({ name: 'Renamed by FENIP', city: 'Agadir', employees: kept.employees }),
      });
      t.equal(identical.statusCode, 200, 'a body equal to the current data changes nothing');
      t.equal(identical.json().version, 3);

      // The recipe: re-read, merge, send with If-Match.
      const merged = {
        ...partnerRow({ name: 'Merged' }),
        city: kept.city,
        employees: kept.employees,
      };
      const stale = await api({
        method: 'PUT',
        url,
        body: merged,
        key: fenip,
        headers: ifMatch(2),
      });
      t.equal(stale.statusCode, 412);
      const ok = await api({ method: 'PUT', url, body: merged, key: fenip, headers: ifMatch(3) });
      t.equal(ok.statusCode, 200, ok.body);
      t.match(ok.json(), { version: 4, city: 'Agadir', name: 'Merged' });
      const nowMine = await api({
        method: 'PUT',
        url,
        body: { ...merged, name: 'Mine again' },
        key: fenip,
      });
      t.equal(nowMine.statusCode, 200, 'after its conditional write, the version is its own');
    },
  );

  t.test('bulk rows follow the same rule; results name the rows', async (t) => {
    const rows = [
      partnerRow({ externalRef: 'B-1' }),
      partnerRow({ externalRef: 'B-2', name: 'Deux' }),
    ];
    const first = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: rows },
      key: fenip,
    });
    t.equal(first.statusCode, 200, first.body);
    const [one, two] = first.json().results;
    t.match(one, { index: 0, status: 'created', externalRef: 'B-1', version: 1 });
    t.match(two, { index: 1, status: 'created', externalRef: 'B-2', version: 1 });
    const patched = await api({
      method: 'PATCH',
      url: `/v1/members/${one.id}`,
      headers: mergePatch(1),
      body: { city: 'Fès' },
    });
    t.equal(patched.statusCode, 200);

    const changed = rows.map((r) => ({ ...r, legalForm: 'SARL' }));
    const second = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: changed },
      key: fenip,
    });
    t.equal(second.statusCode, 200, 'one row applied: 200');
    t.same(second.json().results[0], {
      index: 0,
      status: 'failed',
      externalRef: 'B-1',
      id: one.id,
      version: 2,
      lastChangedBy: { kind: 'key', role: 'admin' },
      errors: [
        {
          pointer: '/members/0',
          message:
            'version 2 was written by another admin key: read the member, merge your changes and send ' +
            'them with its version (If-Match), so that nothing it wrote is lost',
        },
      ],
    });
    t.same(second.json().results[1], {
      index: 1,
      status: 'updated',
      id: two.id,
      externalRef: 'B-2',
      version: 2,
    });
    t.equal(
      (await api({ method: 'GET', url: `/v1/members/${one.id}`, key: fenip })).json().city,
      'Fès',
    );

    const onlyConflicts = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [changed[0]] },
      key: fenip,
    });
    t.equal(onlyConflicts.statusCode, 409, 'nothing applied, every failure a conflict');
    t.equal(onlyConflicts.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.match(onlyConflicts.json(), {
      type: 'urn:jahiz:problem:import-conflict',
      status: 409,
      created: 0,
      failed: 1,
      results: [{ index: 0, status: 'failed', version: 2 }],
    });

    const staleRow = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [{ ...changed[0], version: 1 }] },
      key: fenip,
    });
    t.equal(staleRow.statusCode, 409);
    t.same(staleRow.json().results[0].errors, [
      {
        pointer: '/members/0/version',
        message: 'is not the current version (2): read the member and merge',
      },
    ]);
    const conditional = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [{ ...changed[0], city: 'Fès', version: 2 }] },
      key: fenip,
    });
    t.equal(conditional.statusCode, 200, conditional.body);
    t.match(conditional.json().results[0], { status: 'updated', version: 3 });

    const repeat = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [{ ...changed[0], city: 'Fès' }, changed[1]] },
      key: fenip,
    });
    t.equal(repeat.statusCode, 200, 'unchanged rows count as applied');
    t.same(
      repeat.json().results.map((r: { status: string }) => r.status),
      ['unchanged', 'unchanged'],
    );

    const invalid = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: {
        members: [
          { ...changed[1], region: 'MA-99' },
          { ...changed[0], version: 1 },
        ],
      },
      key: fenip,
    });
    t.equal(invalid.statusCode, 422, 'nothing applied and a row is invalid');
    t.match(invalid.json(), { type: 'urn:jahiz:problem:import-rejected', failed: 2 });
    t.equal(invalid.json().results[0].externalRef, 'B-2');

    const dryRun = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [{ ...changed[1], region: 'MA-99' }], dryRun: true },
      key: fenip,
    });
    t.equal(dryRun.statusCode, 200, 'a dry run always answers 200');
  });

  t.test('ICE taken on every row: 409', async (t) => {
    const holder = await api({
      method: 'PUT',
      url: '/v1/partners/FENIP/members/ICE-HOLDER',
      body: partnerRow({ ice: iceFor(4242) }),
      key: fenip,
    });
    t.equal(holder.statusCode, 201);
    const res = await api({
      method: 'POST',
      url: '/v1/members/bulk',
      body: { members: [partnerRow({ externalRef: 'ICE-2', ice: iceFor(4242) })] },
      key: fenip,
    });
    t.equal(res.statusCode, 409, res.body);
    t.equal(res.json().results[0].errors[0].pointer, '/members/0/ice');
  });

  t.test('a submitted assessment changes the member ETag and updatedAt', async (t) => {
    const grid = await publishedGrid(api, exampleGridBody());
    const url = '/v1/partners/FENIP/members/F-READY';
    const put = await api({
      method: 'PUT',
      url,
      body: partnerRow({ type: 'company' }),
      key: fenip,
    });
    const member = put.json();
    const assessment = await api({
      method: 'POST',
      url: '/v1/assessments',
      body: {
        memberId: member.id,
        gridId: grid.id,
        assessedOn: '2025-03-10',
        assessor: { name: 'Salma Idrissi' },
        answers: exampleAnswers(true),
        submit: true,
      },
    });
    t.equal(assessment.statusCode, 201, assessment.body);
    const after = await api({ method: 'GET', url: `/v1/members/${member.id}`, key: fenip });
    t.not(after.json().readiness, null);
    t.equal(after.json().version, 2);
    t.equal(after.headers.etag, '"2"');
    t.ok(after.json().updatedAt > member.updatedAt, 'updatedAt moves');
    const oldTag = await api({
      method: 'GET',
      url,
      key: fenip,
      headers: { 'if-none-match': put.headers.etag as string },
    });
    t.equal(oldTag.statusCode, 200, 'the old ETag no longer matches');
    t.equal(oldTag.json().readiness, after.json().readiness);
    const weak = await api({
      method: 'GET',
      url: `/v1/members/${member.id}`,
      key: fenip,
      headers: { 'if-none-match': '"9", W/"2"' },
    });
    t.equal(weak.statusCode, 304, 'a list of tags, compared weakly');
    const assessmentTag = await api({
      method: 'GET',
      url: `/v1/assessments/${assessment.json().id}`,
      headers: { 'if-none-match': assessment.headers.etag as string },
    });
    t.equal(assessmentTag.statusCode, 304);
    // The readiness bump is jahiz's decision, not another writer: the partner's PUT goes on.
    const resync = await api({
      method: 'PUT',
      url,
      body: partnerRow({ type: 'company', city: 'Safi' }),
      key: fenip,
    });
    t.equal(resync.statusCode, 200, resync.body);
    t.equal(resync.json().version, 3);
    t.equal(resync.json().readiness, after.json().readiness);
    const withTag = await api({
      method: 'PUT',
      url,
      body: partnerRow({ type: 'company', city: 'Essaouira' }),
      key: fenip,
      headers: { 'if-match': resync.headers.etag as string },
    });
    t.equal(withTag.statusCode, 200, 'If-Match takes the ETag GET and PUT return');
  });
});
