import type { ApiKeysTable } from './tables/api-keys.js';
import type { AuditEventsTable } from './tables/audit-events.js';
import type { IdempotencyKeysTable } from './tables/idempotency-keys.js';
import type { PeriodLocksTable } from './tables/kpi-period-locks.js';
import type { KpiTargetsTable } from './tables/kpi-targets.js';
import type { KpiValuesTable } from './tables/kpi-values.js';
import type { KpisTable } from './tables/kpis.js';
import type { MembersTable } from './tables/members.js';
import type { PartnersTable } from './tables/partners.js';

/**
 * Every table the service reads or writes, by name. Column names are camelCase here and
 * snake_case in SQL (Kysely's CamelCasePlugin translates).
 */
export interface Database {
  apiKeys: ApiKeysTable;
  auditEvents: AuditEventsTable;
  idempotencyKeys: IdempotencyKeysTable;
  kpis: KpisTable;
  kpiTargets: KpiTargetsTable;
  kpiValues: KpiValuesTable;
  members: MembersTable;
  periodLocks: PeriodLocksTable;
  partners: PartnersTable;
}
