import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';
import { addDays } from './generated.js';

/**
 * The computed KPIs counted in plain code from the records as they are in the database,
 * straight from docs/kpis.md: the reference the report's property tests compare against.
 */

export interface Records {
  members: {
    id: string;
    partner: string;
    region: string;
    memberType: string;
    womenLed: boolean;
    joinedOn: string;
    withdrawnOn: string | null;
  }[];
  assessments: {
    id: string;
    memberId: string;
    assessedOn: string;
    submittedAt: string;
    category: string;
  }[];
  participations: {
    memberId: string;
    type: string;
    mode: string;
    startsOn: string;
    women: number;
    men: number;
  }[];
}

export async function readRecords(db: Db): Promise<Records> {
  const members = await sql<Records['members'][number]>`
    select id, partner_code as partner, region, type as "memberType", women_led as "womenLed",
      joined_on::text as "joinedOn", withdrawn_on::text as "withdrawnOn" from members`.execute(db);
  const assessments = await sql<Records['assessments'][number]>`
    select id, member_id as "memberId", assessed_on::text as "assessedOn",
      to_char(submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS.US') as "submittedAt", category
    from assessments where status = 'submitted'`.execute(db);
  const participations = await sql<Records['participations'][number]>`
    select pa.member_id as "memberId", a.type, a.mode, a.starts_on::text as "startsOn",
      pa.women, pa.men
    from participations pa join activities a on a.id = pa.activity_id`.execute(db);
  return {
    members: members.rows,
    assessments: assessments.rows,
    participations: participations.rows,
  };
}

export type Fact = { n: number; [dimension: string]: string | boolean | number | null };

/** Each KPI's counted things in [s, e] (flows) or at e (states), straight from docs/kpis.md. */
export function facts(r: Records, kpi: string, s: string, e: string): Fact[] {
  const member = new Map(r.members.map((m) => [m.id, m]));
  const dims = (id: string) => {
    const m = member.get(id) as Records['members'][number];
    return { partner: m.partner, region: m.region, memberType: m.memberType, womenLed: m.womenLed };
  };
  const active = r.members.filter(
    (m) => m.joinedOn <= e && (m.withdrawnOn === null || m.withdrawnOn > e),
  );
  const categoryAt = (memberId: string, d: string) =>
    r.assessments
      .filter((a) => a.memberId === memberId && a.assessedOn <= d)
      .sort(
        (x, y) =>
          y.assessedOn.localeCompare(x.assessedOn) ||
          y.submittedAt.localeCompare(x.submittedAt) ||
          y.id.localeCompare(x.id),
      )[0]?.category;
  const within = (d: string) => s <= d && d <= e;
  const attended = (types: string[]) =>
    r.participations.filter((p) => types.includes(p.type) && within(p.startsOn));
  switch (kpi) {
    case 'MEMBERS_ACTIVE':
      return active.map((m) => ({ ...dims(m.id), n: 1 }));
    case 'MEMBERS_NEW':
      return r.members.filter((m) => within(m.joinedOn)).map((m) => ({ ...dims(m.id), n: 1 }));
    case 'COOP_WOMEN':
      return active
        .filter((m) => m.memberType === 'cooperative' && m.womenLed)
        .map((m) => ({ ...dims(m.id), n: 1 }));
    case 'ASSESSED':
      return r.assessments
        .filter((a) => within(a.assessedOn))
        .map((a) => ({ ...dims(a.memberId), n: 1 }));
    case 'EXPORT_READY':
      return active
        .filter((m) => categoryAt(m.id, e) === 'A')
        .map((m) => ({ ...dims(m.id), n: 1 }));
    case 'READINESS_UP':
      return active
        .filter((m) => {
          const [now, then] = [rank(categoryAt(m.id, e)), rank(categoryAt(m.id, addDays(s, -1)))];
          return now > 0 && then > 0 && now < then;
        })
        .map((m) => ({ ...dims(m.id), n: 1 }));
    case 'FAIR_PARTICIPATIONS':
      return attended(['trade_fair']).map((p) => ({ ...dims(p.memberId), mode: p.mode, n: 1 }));
    default:
      return attended(['training', 'awareness']).flatMap((p) => [
        { ...dims(p.memberId), mode: p.mode, sex: 'F', n: p.women },
        { ...dims(p.memberId), mode: p.mode, sex: 'M', n: p.men },
      ]);
  }
}

/** A category's rank, best first; 0 for none or INCOMPLETE. */
const rank = (category: string | undefined) => ['A', 'B', 'C', 'D'].indexOf(category ?? '') + 1;
