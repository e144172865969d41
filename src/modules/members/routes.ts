import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { created } from '../../http/created.js';
import {
  expectedVersion,
  IfMatchOptional,
  IfMatchRequired,
  ifMatch,
  optionalVersion,
  setVersionTag,
} from '../../http/etag.js';
import { partnerScope } from '../../http/plugins/auth.js';
import { rethrowNonBodyErrors } from '../../http/plugins/validation.js';
import { ImportResponses } from '../../http/schemas/import-summary.js';
import { listOrder, PageSchema, toOrderedPage } from '../../http/schemas/pagination.js';
import { bulkUpsert, replaceByExternalRef } from './bulk.js';
import {
  createMember,
  erasePersonalData,
  getMember,
  getMemberByExternalRef,
  patchMember,
  withdrawMember,
} from './commands.js';
import { toMember } from './document.js';
import { listMembers } from './repository.js';
import {
  BulkRequestSchema,
  ExternalRefParams,
  LIMITS,
  MemberListQuery,
  MemberParams,
  MemberPatchRef,
  MemberRef,
  NewMemberRef,
} from './schemas.js';

const tags = ['members'];
/** Members hold personal data: reporting keys see aggregates only, never these routes. */
const allow: ('admin' | 'partner')[] = ['admin', 'partner'];

const MemberPage = PageSchema(MemberRef);

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/members',
    {
      config: { allow },
      attachValidation: true,
      schema: {
        operationId: 'createMember',
        tags,
        summary: 'Register a member',
        description:
          'Admin keys must give `partnerCode`; a partner key registers for its own partner ' +
          '(another → 403). An ICE registered already → 409 with `existingMemberId` (the ICE ' +
          'is a public company identifier, so the holder is named even across partners).',
        body: NewMemberRef,
        response: { 201: MemberRef },
      },
    },
    async (request, reply) => {
      rethrowNonBodyErrors(request);
      const row = await app.db
        .transaction()
        .execute((trx) => createMember(trx, request.principal, request.body));
      setVersionTag(reply, row.version);
      return created(reply, `/v1/members/${row.id}`).send(toMember(row));
    },
  );

  app.get(
    '/v1/members',
    {
      config: { allow },
      schema: {
        operationId: 'listMembers',
        tags,
        summary: 'List members, filtered, in registration order',
        description: "A partner key lists its own partner's members only.",
        querystring: MemberListQuery,
        response: { 200: MemberPage },
      },
    },
    async (request) => {
      const order = listOrder(request.query);
      const rows = await listMembers(app.db, partnerScope(request), request.query, order);
      const page = toOrderedPage(rows, request.query.limit, order);
      return { data: page.data.map(toMember), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/members/:id',
    {
      config: { allow },
      schema: {
        operationId: 'getMember',
        tags,
        summary: 'Get one member',
        params: MemberParams,
        response: { 200: MemberRef },
      },
    },
    async (request, reply) => {
      const row = await getMember(app.db, request.principal, request.params.id);
      setVersionTag(reply, row.version);
      return toMember(row);
    },
  );

  app.patch(
    '/v1/members/:id',
    {
      config: { allow },
      schema: {
        operationId: 'patchMember',
        tags,
        summary: 'Change a member (JSON merge patch, If-Match required)',
        description:
          'Body: `application/merge-patch+json` (or `application/json`). `If-Match` is ' +
          'required: missing → 428, stale → 412. Setting `status` to `withdrawn` with a past ' +
          '`withdrawnOn` records an earlier withdrawal.',
        params: MemberParams,
        headers: IfMatchRequired,
        body: MemberPatchRef,
        response: { 200: MemberRef },
      },
    },
    async (request, reply) => {
      const expected = expectedVersion(request);
      const row = await app.db
        .transaction()
        .execute((trx) =>
          patchMember(trx, request.principal, request.params.id, request.body, expected),
        );
      setVersionTag(reply, row.version);
      return toMember(row);
    },
  );

  app.delete(
    '/v1/members/:id',
    {
      config: { allow },
      schema: {
        operationId: 'withdrawMember',
        tags,
        summary: 'Withdraw a member (its data is kept for reporting)',
        description:
          'Sets `status` `withdrawn` and `withdrawnOn` today (UTC). If-Match is optional. ' +
          'Withdrawing a withdrawn member changes nothing.',
        params: MemberParams,
        headers: IfMatchOptional,
        response: { 200: MemberRef },
      },
    },
    async (request, reply) => {
      const expected = optionalVersion(request);
      const row = await app.db
        .transaction()
        .execute((trx) => withdrawMember(trx, request.principal, request.params.id, expected));
      setVersionTag(reply, row.version);
      return toMember(row);
    },
  );

  app.post(
    '/v1/members/:id/erase-personal-data',
    {
      config: { allow },
      schema: {
        operationId: 'eraseMemberPersonalData',
        tags,
        summary: "Erase the member's personal data (contacts); statistics stay",
        description:
          "Removes the contacts' names, e-mails and phones from the member and from its audit " +
          'history; counts by sex and all other data stay.',
        params: MemberParams,
        response: { 200: MemberRef },
      },
    },
    async (request, reply) => {
      const row = await app.db
        .transaction()
        .execute((trx) => erasePersonalData(trx, request.principal, request.params.id));
      setVersionTag(reply, row.version);
      return toMember(row);
    },
  );

  app.get(
    '/v1/partners/:code/members/:externalRef',
    {
      config: { allow },
      schema: {
        operationId: 'getMemberByExternalRef',
        tags,
        summary: "Get a member by the partner system's id",
        description:
          'Reads what PUT on the same path writes: the same representation and `ETag`. A ' +
          "partner key may read its own partner's path only (another → 403).",
        params: ExternalRefParams,
        response: { 200: MemberRef },
      },
    },
    async (request, reply) => {
      const { code, externalRef } = request.params;
      const row = await getMemberByExternalRef(app.db, code, externalRef);
      setVersionTag(reply, row.version);
      return toMember(row);
    },
  );

  app.put(
    '/v1/partners/:code/members/:externalRef',
    {
      config: { allow },
      attachValidation: true,
      schema: {
        operationId: 'putMemberByExternalRef',
        tags,
        summary: "Create or replace a member by the partner system's id",
        description:
          "The partner system's sync: 201 when created, 200 when replaced (a full " +
          'replacement: optional fields not sent are cleared; `joinedOn`, `status` and ' +
          '`withdrawnOn` stay unless sent). With `If-Match` it is an ordinary conditional ' +
          'update (stale → 412). Without it, it creates, or updates a member whose current ' +
          'version this same credential wrote; otherwise → 428 naming who wrote the current ' +
          'version (`lastChangedBy: { kind, role }`) and its `version`: read the member, merge ' +
          'and send again with `If-Match` (docs/sync.md). An identical body changes nothing ' +
          '(200, same version). A partner key may use its own partner path only (403).',
        params: ExternalRefParams,
        headers: IfMatchOptional,
        body: NewMemberRef,
        response: { 200: MemberRef, 201: MemberRef },
      },
    },
    async (request, reply) => {
      rethrowNonBodyErrors(request);
      const expected = ifMatch(request);
      const { code, externalRef } = request.params;
      const outcome = await app.db
        .transaction()
        .execute((trx) =>
          replaceByExternalRef(trx, request.principal, code, externalRef, request.body, expected),
        );
      setVersionTag(reply, outcome.row.version);
      if (outcome.created) created(reply, `/v1/members/${outcome.row.id}`);
      return reply.send(toMember(outcome.row));
    },
  );

  app.post(
    '/v1/members/bulk',
    {
      config: { allow },
      bodyLimit: LIMITS.bulkBodyBytes,
      schema: {
        operationId: 'bulkUpsertMembers',
        tags,
        summary: 'Create or replace up to 1,000 members by externalRef',
        description:
          'Request body up to 5 MiB (other routes: 1 MiB). Each row is a member as for ' +
          'PUT /v1/partners/{code}/members/{externalRef} with `externalRef` required and ' +
          '`partnerCode` (required for admin keys). Rows are independent: each is answered ' +
          'in `results` as created, updated, unchanged or failed (with `errors` pointing into ' +
          '`/members/{index}`), naming its `externalRef`, `id` and `version`. A row follows the ' +
          'If-Match rule of the PUT: with `version` it updates that version only; without, ' +
          'only a member its credential wrote last (docs/sync.md). Any row applied (or ' +
          '`dryRun`) → 200; none → the summary as a problem document: 409 when every failure ' +
          'is a conflict (ICE taken, version), else 422. With `dryRun` nothing is written.',
        body: BulkRequestSchema,
        response: ImportResponses,
      },
    },
    async (request) => {
      const { members, dryRun = false } = request.body;
      return app.db
        .transaction()
        .execute((trx) => bulkUpsert(trx, request.principal, members, dryRun));
    },
  );
};
