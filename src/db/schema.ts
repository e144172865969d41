import type { ActivitiesTable } from './tables/activities.js';
import type { ApiKeysTable } from './tables/api-keys.js';
import type { AssessmentsTable } from './tables/assessments.js';
import type { AuditEventsTable } from './tables/audit-events.js';
import type { EventPurgeMarksTable, EventsTable } from './tables/events.js';
import type { GridsTable } from './tables/grids.js';
import type { IdempotencyKeysTable } from './tables/idempotency-keys.js';
import type { KpiChangesTable } from './tables/kpi-changes.js';
import type { KpiFrozenFiguresTable } from './tables/kpi-frozen-figures.js';
import type { PeriodLocksTable } from './tables/kpi-period-locks.js';
import type { KpiTargetsTable } from './tables/kpi-targets.js';
import type { KpiValuesTable } from './tables/kpi-values.js';
import type { KpisTable } from './tables/kpis.js';
import type { MembersTable } from './tables/members.js';
import type { ParticipationsTable } from './tables/participations.js';
import type { PartnersTable } from './tables/partners.js';
import type { RateLimitBucketsTable } from './tables/rate-limit-buckets.js';
import type { ReadinessImprovementsTable } from './tables/readiness-improvements.js';
import type { ReadinessSpansTable } from './tables/readiness-spans.js';
import type {
  WebhookDeliveriesTable,
  WebhookSecretsTable,
  WebhookSubscriptionsTable,
} from './tables/webhooks.js';

/**
 * Every table the service reads or writes, by name. Column names are camelCase here and
 * snake_case in SQL (Kysely's CamelCasePlugin translates).
 */
export interface Database {
  activities: ActivitiesTable;
  apiKeys: ApiKeysTable;
  assessments: AssessmentsTable;
  auditEvents: AuditEventsTable;
  eventPurgeMarks: EventPurgeMarksTable;
  events: EventsTable;
  grids: GridsTable;
  idempotencyKeys: IdempotencyKeysTable;
  kpis: KpisTable;
  kpiChanges: KpiChangesTable;
  kpiTargets: KpiTargetsTable;
  kpiValues: KpiValuesTable;
  members: MembersTable;
  participations: ParticipationsTable;
  partners: PartnersTable;
  periodLocks: PeriodLocksTable;
  kpiFrozenFigures: KpiFrozenFiguresTable;
  rateLimitBuckets: RateLimitBucketsTable;
  readinessImprovements: ReadinessImprovementsTable;
  readinessSpans: ReadinessSpansTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookSecrets: WebhookSecretsTable;
  webhookSubscriptions: WebhookSubscriptionsTable;
}
