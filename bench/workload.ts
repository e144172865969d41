// What the scenarios send: assessment bodies for given members, and bulk bodies of new members
// (unique externalRefs and valid ICEs, so every row is a real insert).
import { answersAt } from './answers.js';

const DEFAULT_GRID_ID = '01936000-0000-7000-8000-000000000001';

export function assessmentBodies(memberIds: readonly string[], today: string): string[] {
  const answerSets = [0.35, 0.55, 0.75, 0.9].map((level, k) => answersAt(level, k + 11));
  return memberIds.map((memberId, i) =>
    JSON.stringify({
      memberId,
      gridId: DEFAULT_GRID_ID,
      assessedOn: today,
      assessor: { name: 'Consultante SIPPO', organisation: 'SIPPO' },
      answers: answerSets[i % answerSets.length],
      submit: true,
    }),
  );
}

/** A valid ICE (15 digits, divisible by 97) from a 13-digit prefix. */
function iceOf(prefix13: number): string {
  const check = (97 - (((prefix13 % 97) * 100) % 97)) % 97;
  return `${String(prefix13).padStart(13, '0')}${String(check).padStart(2, '0')}`;
}

const REGIONS = ['MA-06', 'MA-09', 'MA-01', 'MA-03', 'MA-07'];
const HS = ['091020', '151010', '030389', '610910', '160414'];
/** Distinguishes the runs of one invocation (app, floor) and of successive invocations. */
const RUN = `${process.pid.toString(36)}${Date.now().toString(36)}`;
/**
 * `iceBase` (13 digits) must differ by more than the rows a run sends between the runs that
 * share a database: the runner gives each run its own.
 */
export function bulkBody(request: number, rows: number, iceBase: number): string {
  const members = [];
  for (let i = 0; i < rows; i += 1) {
    const n = request * rows + i;
    const company = n % 3 !== 0;
    members.push({
      partnerCode: 'ASMEX',
      externalRef: `bench-${RUN}-${n}`,
      type: company ? 'company' : 'cooperative',
      name: `${company ? 'Société' : 'Coopérative'} Bench ${RUN} ${n}`,
      ice: company ? iceOf(iceBase + n) : null,
      region: REGIONS[n % REGIONS.length],
      remoteArea: n % 7 === 0,
      womenLed: n % 4 === 0,
      products: [{ hsCode: HS[n % HS.length], name: 'Produit' }],
      exportMarkets: ['FR'],
      contacts: [{ name: `Contact ${n}`, email: `c${n}@example.ma`, phone: '+212612345678' }],
      joinedOn: '2025-03-01',
    });
  }
  return JSON.stringify({ members });
}
