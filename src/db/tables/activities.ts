import type { ColumnType, Generated } from 'kysely';

type ActivityType = 'training' | 'trade_fair' | 'b2b_mission' | 'coaching' | 'awareness';
type ActivityMode = 'physical' | 'digital' | 'hybrid';

/** A programme activity run by a partner; its participants are in `participations`. */
export interface ActivitiesTable {
  id: string;
  partnerCode: string;
  type: ActivityType;
  mode: ActivityMode;
  title: string;
  startsOn: string;
  endsOn: string;
  city: string | null;
  /** ISO 3166-2:MA region where it took place (in Morocco), or null. */
  region: string | null;
  /** ISO 3166-1 alpha-2 country where it took place. */
  country: string;
  version: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
