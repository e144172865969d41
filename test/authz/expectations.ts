/**
 * Who may call each operation of openapi.yaml, as implemented (routes' `config.allow`), checked
 * against docs/integrators.md → Authentication and roles. Every operation must be listed here, and only those.
 *
 * - `public`: no key needed (health).
 * - `roles`: the roles allowed; any other role → 403, no or a revoked key → 401.
 * - `owned`: the path addresses an object of one partner: another partner's key → 404.
 * - `partnerPath`: the path names the partner (`/v1/partners/{code}/…`): another partner's
 *   key → 403 (docs/sync.md → 1. Upsert members by your own id).
 *
 * Where the implementation goes beyond that page's table it is noted (`// Beyond the table: …`).
 */
import type { Role } from '../../src/db/tables/api-keys.js';

export type Expectation =
  | { public: true }
  | { roles: readonly Role[]; owned?: boolean; partnerPath?: boolean };

const PUBLIC = { public: true } as const;
const ADMIN = { roles: ['admin'] } as const;
/** A partner key works on its own partner's records. */
const PARTNER_DATA = { roles: ['admin', 'partner'] } as const;
const OWNED = { roles: ['admin', 'partner'], owned: true } as const;
const EVERYONE = { roles: ['admin', 'partner', 'reporting'] } as const;
const PARTNER_PATH = { roles: ['admin', 'partner'], partnerPath: true } as const;

export const EXPECTATIONS: Record<string, Expectation> = {
  getLiveness: PUBLIC,
  getReadiness: PUBLIC,

  getMe: EVERYONE,
  listPartners: EVERYONE,
  getPartner: EVERYONE,
  createPartner: ADMIN,
  createApiKey: ADMIN,
  listApiKeys: ADMIN,
  revokeApiKey: ADMIN,

  createMember: PARTNER_DATA,
  listMembers: PARTNER_DATA,
  getMember: OWNED,
  patchMember: OWNED,
  withdrawMember: OWNED,
  eraseMemberPersonalData: OWNED,
  putMemberByExternalRef: PARTNER_PATH,
  getMemberByExternalRef: PARTNER_PATH,
  bulkUpsertMembers: PARTNER_DATA,
  getMemberReadiness: OWNED,

  listAuditEvents: ADMIN,

  listKpis: EVERYONE,
  getKpi: EVERYONE,
  createKpi: ADMIN,
  updateKpi: ADMIN,
  listKpiTargets: EVERYONE,
  replaceKpiTargets: ADMIN,
  importKpiValues: PARTNER_DATA,
  // Raw values carry partners' comments: reporting keys read aggregates only (issue 11).
  listKpiValues: PARTNER_DATA,
  getKpiValue: OWNED,

  lockPeriod: ADMIN,
  unlockPeriod: ADMIN,
  // Beyond the table: reading locks; every role may (they govern what can be reported).
  listPeriodLocks: EVERYONE,

  createActivity: PARTNER_DATA,
  listActivities: PARTNER_DATA,
  getActivity: OWNED,
  patchActivity: OWNED,

  reportKpis: EVERYONE,
  reportKpisCsv: EVERYONE,
  reportKpisXlsx: EVERYONE,
  reportIati: EVERYONE,
  reportKpiChart: EVERYONE,
  getGridXlsForm: EVERYONE,

  // Beyond the table: reporting reads KPI definitions, reports and exports, and grids too.
  listGrids: EVERYONE,
  getGrid: EVERYONE,
  createGrid: ADMIN,
  updateGrid: ADMIN,
  publishGrid: ADMIN,
  retireGrid: ADMIN,
  createGridVersion: ADMIN,
  // Scores without storing anything; reporting may call it too.
  evaluateGrid: EVERYONE,
  importAssessments: PARTNER_DATA,

  createAssessment: PARTNER_DATA,
  listAssessments: PARTNER_DATA,
  getAssessment: OWNED,
  patchAssessment: OWNED,
  submitAssessment: OWNED,
  rescoreAssessment: ADMIN,

  // Scoped per role in the handler (docs/events-and-webhooks.md).
  listEvents: EVERYONE,
  // Admin, and partner keys for their own events (docs/events-and-webhooks.md).
  createWebhook: PARTNER_DATA,
  listWebhooks: PARTNER_DATA,
  getWebhook: OWNED,
  patchWebhook: OWNED,
  deleteWebhook: OWNED,
  rotateWebhookSecret: OWNED,
  listWebhookDeliveries: OWNED,
  retryWebhookDelivery: OWNED,
};
