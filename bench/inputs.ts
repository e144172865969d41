// What the scenarios read and write, picked from the seeded database: active members to
// assess, any members to read, and the cursor of a deep page of the filtered list.
import { query } from './harness.js';

const PAGE = 20;
const DEEP_PAGES = 1000;
export const FILTERED_LIST = '/v1/members?partner=FENIP&region=MA-09&limit=20';
/** The 2025 report by partner (d) and the heaviest one, 48 months by partner and region (g). */
export const YEAR_REPORT = '/v1/reports/kpis?period=2025&by=partner';
export const HEAVY_REPORT = '/v1/reports/kpis?period=2023-01..2026-12&by=partner,region';

export interface Inputs {
  members: number;
  active: string[];
  anyMembers: string[];
  filtered: number;
  /** The deep page's number (1001 when the filtered list has that many pages). */
  deepPage: number;
  deepCursor: string;
}

export async function pickInputs(url: string): Promise<Inputs> {
  const ids = async (where: string) =>
    (
      await query<{ id: string }>(
        url,
        `select id from members ${where} order by random() limit 4000`,
      )
    ).map((r) => r.id);
  const count = async (where: string) =>
    (await query<{ n: number }>(url, `select count(*)::int as n from members ${where}`))[0]?.n ?? 0;
  const filter = `where partner_code = 'FENIP' and region = 'MA-09'`;
  const filtered = await count(filter);
  const depth = Math.max(1, Math.min(DEEP_PAGES, Math.floor((filtered - 1) / PAGE)));
  const [{ id: cursorId } = { id: '' }] = await query<{ id: string }>(
    url,
    `select id from members ${filter} order by id offset $1 limit 1`,
    [depth * PAGE - 1],
  );
  return {
    members: await count(''),
    active: await ids(`where status = 'active'`),
    anyMembers: await ids(''),
    filtered,
    deepPage: depth + 1,
    deepCursor: Buffer.from(JSON.stringify([cursorId])).toString('base64url'),
  };
}
