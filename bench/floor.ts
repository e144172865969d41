// The floor: a minimal Fastify server answering the benchmark's routes with the SAME SQL
// statements the service issues (texts below, checked against the service's captured statements
// by bench/capture.ts), through plain `pg`: no validation, no Kysely, no authentication, no
// rate limit, no idempotency, no scoring (a fixed result). What the service costs above this is
// its own overhead. Runs as a child process: `tsx bench/floor.ts` with PORT and DATABASE_URL, or
// JAHIZ_DATA_DIR for the embedded engine.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type pg from 'pg';
import pgModule from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { camelSelectList } from '../src/db/camel-columns.js';
import { openEmbedded } from '../src/db/embedded.js';
import { AUDIT_COLUMNS, AUDIT_INSERT_COLUMNS } from '../src/modules/audit/repository.js';
import { EVENT_COLUMNS } from '../src/modules/events/outbox.js';
import { MEMBER_PROPERTIES, UPSERT_COLUMNS } from '../src/modules/members/repository.js';
import { type AnswerProfile, answerProfiles } from './answers.js';

const ASSESSMENT_COLUMNS = `"assessments".*, "grids"."code" as "grid_code", "grids"."version" as "grid_version"`;
/** `jsonb_to_recordset` of one JSON parameter, as the service sends many rows (src/db/recordset.ts). */
const recordsetSql = (columns: readonly (readonly [string, string])[]) =>
  `select ${columns.map(([key]) => `"${key}"`).join(', ')} from jsonb_to_recordset($1::jsonb) as r(${columns.map(([key, type]) => `"${key}" ${type}`).join(', ')})`;

const AUDIT_INSERT = `insert into audit_events (${AUDIT_INSERT_COLUMNS}) ${recordsetSql(AUDIT_COLUMNS)}`;

/** A member's columns under their properties' names, as the service selects them. */
const MEMBER = `${camelSelectList('members', Object.keys(MEMBER_PROPERTIES))} from "members"`;
const CURSOR = `to_char("members"."updated_at" at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US"+00"') as "cursorUpdatedAt"`;
const MEMBER_PAGE = `${camelSelectList('members', Object.keys(MEMBER_PROPERTIES))}, ${CURSOR} from "members"`;

/** The outbox's insert with its webhook fan-out (src/modules/events/outbox.ts). */
const EVENTS_INSERT = `with e as ( insert into events (id, type, partner_code, subject_kind, subject_id, subject_external_ref, data, actor) ${recordsetSql(EVENT_COLUMNS)} returning id, type, partner_code ) insert into webhook_deliveries (id, subscription_id, event_id, attempt, state) select gen_random_uuid(), s.id, e.id, 1, 'pending' from e join webhook_subscriptions s on s.status = 'active' and e.type = any(s.types) and (case "s"."owner_role" when 'admin' then true when 'partner' then coalesce("e"."partner_code" = "s"."partner_code", false) or "e"."type" = 'grid.published' or ("e"."type" = any($2::text[]) and "e"."partner_code" is null) when 'reporting' then "e"."type" = any($3::text[]) else false end)`;
const PERIOD_TYPES = ['period.locked', 'period.unlocked'];
const REPORTING_TYPES = ['grid.published', ...PERIOD_TYPES, 'kpi-value.recorded'];

/** The outbox insert's parameters: the events as a JSON array, then the visibility lists. */
const eventRecords = (
  events: {
    type: string;
    partnerCode: string;
    subjectKind: string;
    subjectId: string;
    data: object;
  }[],
) => [
  JSON.stringify(
    events.map((e) => ({
      id: uuidv7(),
      subjectExternalRef: null,
      actor: { kind: 'key', id: ACTOR },
      ...e,
    })),
  ),
  PERIOD_TYPES,
  REPORTING_TYPES,
];

/** The audit insert's one parameter: the events as a JSON array. */
const auditRecords = (
  events: {
    partnerCode: string;
    entity: string;
    entityId: string;
    action: string;
    changes: object;
  }[],
) => [JSON.stringify(events.map((e) => ({ id: uuidv7(), actorKeyId: ACTOR, ...e })))];

/** The statements of each route, in the order the service issues them (BEGIN/COMMIT apart). */
export const FLOOR_SQL = {
  getMember: `select ${MEMBER} where "id" = $1`,
  listFirst: `select ${MEMBER_PAGE} where "partner_code" = $1 and "region" = $2 order by "members"."id" limit $3`,
  listAfter: `select ${MEMBER_PAGE} where "partner_code" = $1 and "region" = $2 and "members"."id" > $3 order by "members"."id" limit $4`,
  lockMember: `select ${MEMBER} where "id" = $1 for update`,
  grid: `select * from "grids" where "id" = $1`,
  insertAssessment: `insert into "assessments" ("id", "member_id", "partner_code", "grid_id", "status", "assessed_on", "assessor", "answers", "result", "score", "category", "rescored_from", "submission_id", "submitted_at") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning "id"`,
  findAssessment: `select ${ASSESSMENT_COLUMNS} from "assessments" inner join "grids" on "grids"."id" = "assessments"."grid_id" where "assessments"."id" = $1`,
  auditEvents: AUDIT_INSERT,
  markSubmitted: `update "assessments" set "status" = $1, "result" = $2, "score" = $3, "category" = $4, "submitted_at" = clock_timestamp(), "version" = version + 1, "updated_at" = now() where "id" = $5 and "status" = $6`,
  latestSubmitted: `select "id", "category", "assessed_on" from "assessments" where "member_id" = $1 and "status" = $2 order by "assessed_on" desc, "submitted_at" desc, "id" desc limit $3`,
  setReadiness: `update "members" set "readiness_category" = $1, "readiness_assessment_id" = $2, "readiness_assessed_on" = $3, "version" = case when readiness_category is distinct from $4::text then version + 1 else version end, "updated_at" = case when readiness_category is distinct from $5::text then now() else updated_at end where "id" = $6`,
  events: EVENTS_INSERT,
  partners: `select "code" from "partners"`,
  byExternalRefs: `select * from "members" where (partner_code, external_ref) in (select * from unnest($1::text[], $2::text[])) order by "id" for update`,
  iceHolders: `select "id", "partner_code", "ice" from "members" where ice = any($1::text[])`,
};

/** The service's upsert: all rows as one JSON recordset. */
export function upsertMembersSql() {
  const names = UPSERT_COLUMNS.map(([key]) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const updates = names
    .slice(2)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `insert into members (${names.join(', ')}) ${recordsetSql(UPSERT_COLUMNS)} on conflict (partner_code, external_ref) do update set ${updates}, version = members.version + 1, updated_at = now() returning id, partner_code, external_ref, version, xmax = 0 as inserted`;
}

const UPSERT_MEMBERS = upsertMembersSql();

async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** One audit event of an assessment, through the service's audit insert. */
function auditAssessment(
  c: pg.PoolClient,
  partnerCode: string,
  entityId: string,
  action: string,
  changes: object,
) {
  return c.query(
    FLOOR_SQL.auditEvents,
    auditRecords([{ partnerCode, entity: 'assessment', entityId, action, changes }]),
  );
}

/** Request bodies as the floor reads them: unchecked, on purpose. */
// biome-ignore lint/suspicious/noExplicitAny: the floor does no validation by design
type Unchecked = Record<string, any>;

const ACTOR = randomUUID();

/**
 * The scoring the floor skips: every submission gets this one result, a real one from the
 * middle of the benchmark's answer levels (bench/answers.ts).
 */
const FIXED = (() => {
  const { result } = answerProfiles()[2] as AnswerProfile;
  return { result: JSON.stringify(result), score: result.score, category: result.category };
})();

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** The read routes: a member by id, a filtered page by cursor. */
function registerReadRoutes(app: FastifyInstance, q: Query) {
  app.get<{ Params: { id: string } }>('/v1/members/:id', async (request, reply) => {
    const { rows } = await q(FLOOR_SQL.getMember, [request.params.id]);
    if (!rows[0]) return reply.code(404).send({});
    return rows[0];
  });

  app.get<{ Querystring: Record<string, string> }>('/v1/members', async (request) => {
    const { partner, region, cursor } = request.query;
    const limit = Number(request.query.limit ?? 20);
    const after = cursor
      ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as string[])[0]
      : undefined;
    const { rows } = after
      ? await q(FLOOR_SQL.listAfter, [partner, region, after, limit + 1])
      : await q(FLOOR_SQL.listFirst, [partner, region, limit + 1]);
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.id])).toString('base64url')
        : null;
    return { data, nextCursor };
  });
}

/** The write routes: submit an assessment, bulk upsert members. */
function registerWriteRoutes(app: FastifyInstance, pool: pg.Pool) {
  app.post<{ Body: Unchecked }>('/v1/assessments', async (request, reply) => {
    const body = request.body;
    const row = await inTransaction(pool, async (c) => {
      const member = (await c.query(FLOOR_SQL.lockMember, [body.memberId])).rows[0];
      const grid = (await c.query(FLOOR_SQL.grid, [body.gridId])).rows[0];
      const id = uuidv7();
      await c.query(FLOOR_SQL.insertAssessment, [
        id,
        member.id,
        member.partnerCode,
        grid.id,
        'draft',
        body.assessedOn,
        JSON.stringify(body.assessor),
        JSON.stringify(body.answers),
        null,
        null,
        null,
        null,
        null,
        null,
      ]);
      await c.query(FLOOR_SQL.findAssessment, [id]);
      const created = {
        memberId: { to: body.memberId },
        gridId: { to: body.gridId },
        assessedOn: { to: body.assessedOn },
        assessor: { to: body.assessor },
        answers: { to: body.answers },
      };
      await auditAssessment(c, member.partnerCode, id, 'created', created);
      await c.query(FLOOR_SQL.markSubmitted, [
        'submitted',
        FIXED.result,
        FIXED.score,
        FIXED.category,
        id,
        'draft',
      ]);
      const latest = (await c.query(FLOOR_SQL.latestSubmitted, [member.id, 'submitted', 1]))
        .rows[0];
      await c.query(FLOOR_SQL.setReadiness, [
        latest.category,
        latest.id,
        latest.assessed_on,
        latest.category,
        latest.category,
        member.id,
      ]);
      const submittedEvent = {
        type: 'assessment.submitted',
        partnerCode: member.partnerCode,
        subjectKind: 'assessment',
        subjectId: id,
        data: { memberId: member.id, category: FIXED.category, score: FIXED.score },
      };
      const moved = member.readinessCategory !== latest.category;
      const readinessEvent = {
        type: 'readiness.changed',
        partnerCode: member.partnerCode,
        subjectKind: 'member',
        subjectId: member.id,
        data: { memberId: member.id, from: member.readinessCategory, to: latest.category },
      };
      await c.query(
        FLOOR_SQL.events,
        eventRecords(moved ? [submittedEvent, readinessEvent] : [submittedEvent]),
      );
      const submitted = {
        status: { from: 'draft', to: 'submitted' },
        category: { to: FIXED.category },
        score: { to: FIXED.score },
      };
      await auditAssessment(c, member.partnerCode, id, 'submitted', submitted);
      return (await c.query(FLOOR_SQL.findAssessment, [id])).rows[0];
    });
    return reply.code(201).send(row);
  });

  app.post<{ Body: { members: Unchecked[] } }>('/v1/members/bulk', async (request) => {
    const rows = request.body.members;
    return inTransaction(pool, async (c) => {
      await c.query(FLOOR_SQL.partners);
      const codes = rows.map((r) => r.partnerCode);
      const refs = rows.map((r) => r.externalRef);
      await c.query(FLOOR_SQL.byExternalRefs, [codes, refs]);
      const ices = rows.map((r) => r.ice).filter((v) => typeof v === 'string');
      if (ices.length > 0) await c.query(FLOOR_SQL.iceHolders, [ices]);
      const today = new Date().toISOString().slice(0, 10);
      const records = rows.map((r) => {
        const products = r.products ?? [];
        return {
          id: uuidv7(),
          partnerCode: r.partnerCode,
          externalRef: r.externalRef,
          type: r.type,
          name: r.name,
          nameSearch: String(r.name).toLowerCase(),
          legalForm: r.legalForm ?? null,
          ice: r.ice ?? null,
          taxId: r.taxId ?? null,
          rcTribunal: r.rc?.tribunal ?? null,
          rcNumber: r.rc?.number ?? null,
          region: r.region,
          province: r.province ?? null,
          city: r.city ?? null,
          remoteArea: r.remoteArea,
          womenLed: r.womenLed,
          membersWomen: r.membersCount?.women ?? null,
          membersMen: r.membersCount?.men ?? null,
          employeesWomen: r.employees?.women ?? null,
          employeesMen: r.employees?.men ?? null,
          products,
          hsCodes: products.map((p: { hsCode: string }) => p.hsCode),
          certifications: r.certifications ?? [],
          exportMarkets: r.exportMarkets ?? [],
          targetMarkets: r.targetMarkets ?? [],
          digital: r.digital ?? null,
          joinedOn: r.joinedOn ?? today,
          contacts: r.contacts ?? [],
        };
      });
      const written = (await c.query(UPSERT_MEMBERS, [JSON.stringify(records)])).rows;
      const byRef = new Map(records.map((r) => [`${r.partnerCode}/${r.externalRef}`, r]));
      await c.query(
        AUDIT_INSERT,
        auditRecords(
          written.map((m) => {
            const r = byRef.get(`${m.partner_code}/${m.external_ref}`);
            return {
              partnerCode: m.partner_code,
              entity: 'member',
              entityId: m.id,
              action: m.inserted ? 'created' : 'updated',
              changes: {
                name: { to: r?.name },
                type: { to: r?.type },
                region: { to: r?.region },
                products: { to: r?.products },
                contacts: { to: r?.contacts },
              },
            };
          }),
        ),
      );
      await c.query(
        FLOOR_SQL.events,
        eventRecords(
          written.map((m) => ({
            type: m.inserted ? 'member.created' : 'member.updated',
            partnerCode: m.partner_code,
            subjectKind: 'member',
            subjectId: m.id,
            data: { version: m.version },
          })),
        ),
      );
      return {
        created: written.filter((m) => m.inserted).length,
        results: written.map((m, index) => ({
          index,
          status: m.inserted ? 'created' : 'updated',
          id: m.id,
        })),
      };
    });
  });
}

/** The floor's routes in this process (the ablations inject into it), on the pool given. */
export async function inProcessFloor(pool: pg.Pool, bodyLimit: number) {
  const app = Fastify({ logger: false, bodyLimit });
  registerReadRoutes(app, (text, values) => pool.query(text, values));
  registerWriteRoutes(app, pool);
  app.addHook('onClose', async () => pool.end());
  await app.ready();
  return app;
}

async function main() {
  const embedded = process.env.DATABASE_URL
    ? null
    : await openEmbedded(process.env.JAHIZ_DATA_DIR ?? '');
  const pool =
    embedded?.pool ??
    new pgModule.Pool({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.DB_POOL_MAX ?? 10),
    });
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);

  app.get('/health/ready', async () => ({ status: 'ok' }));

  registerReadRoutes(app, q);

  registerWriteRoutes(app, pool);

  app.addHook('onClose', async () => {
    await pool.end();
    await embedded?.closeEngine();
  });
  await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  const stop = () => app.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1]?.endsWith('floor.ts') || process.argv[1]?.endsWith('floor.js')) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
