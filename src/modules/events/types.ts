import { type RawBuilder, sql } from 'kysely';

/** Every type of event the feed carries (docs/events-and-webhooks.md lists what each means). */
export const EVENT_TYPES = [
  'member.created',
  'member.updated',
  'member.withdrawn',
  'member.erased',
  'assessment.submitted',
  'readiness.changed',
  'activity.created',
  'activity.updated',
  'kpi-value.recorded',
  'period.locked',
  'period.unlocked',
  'grid.published',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

const PERIOD_TYPES = ['period.locked', 'period.unlocked'];
/** What a reporting key sees: programme-wide facts, no member or activity. */
const REPORTING_TYPES = ['grid.published', ...PERIOD_TYPES, 'kpi-value.recorded'];

/** Who reads events: a key's role and, for a partner key, its partner. */
export interface EventViewer {
  role: string;
  partnerCode: string | null;
}

type Operand = RawBuilder<unknown> | string | null;
const operand = (value: Operand) =>
  typeof value === 'object' && value !== null ? value : sql`${value}::text`;

/**
 * Whether an event (its type and partner columns) is visible to a viewer, as ONE SQL
 * expression: the feed binds the caller's role and partner, the webhook fan-out passes a
 * subscription's columns. Admin: all. Partner: its own events, grid.published, and the period
 * events for all partners (its own period locks are its own events). Reporting: grid.published,
 * period events, kpi-value.recorded.
 */
export function visibleTo(
  event: { type: RawBuilder<unknown>; partnerCode: RawBuilder<unknown> },
  role: Operand,
  partnerCode: Operand,
): RawBuilder<boolean> {
  const r = operand(role);
  const p = operand(partnerCode);
  return sql<boolean>`(case ${r}
    when 'admin' then true
    when 'partner' then coalesce(${event.partnerCode} = ${p}, false)
      or ${event.type} = 'grid.published'
      or (${event.type} = any(${PERIOD_TYPES}::text[]) and ${event.partnerCode} is null)
    when 'reporting' then ${event.type} = any(${REPORTING_TYPES}::text[])
    else false end)`;
}
