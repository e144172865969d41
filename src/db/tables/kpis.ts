import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type ResultLevel = 'output' | 'outcome' | 'impact';
export type Measure = 'unit' | 'percentage' | 'qualitative';
export type KpiSource = 'computed' | 'reported';
export type Cumulation = 'period' | 'cumulative' | 'snapshot';
export type Dimension = 'partner' | 'region' | 'memberType' | 'womenLed' | 'sex' | 'mode';

interface MultilingualText {
  fr: string;
  en: string;
  ar?: string;
}

/** A KPI definition (docs/kpis.md). jsonb columns are written as JSON text, read back parsed. */
export interface KpisTable {
  code: string;
  name: JSONColumnType<MultilingualText, string, string>;
  description: JSONColumnType<MultilingualText | null, string | null, string | null>;
  resultLevel: ResultLevel;
  measure: Measure;
  unit: string;
  ascending: boolean;
  source: KpiSource;
  cumulation: Cumulation;
  /** The disaggregations a target or value may use. */
  dimensions: JSONColumnType<Dimension[], string, string>;
  baselineYear: number | null;
  baselineValue: number | null;
  /** The end-of-programme target, on its own: never the sum of the annual targets. */
  endTargetYear: number | null;
  endTargetValue: number | null;
  /** Seeded computed KPI: the service computes it, so source, measure, cumulation and dimensions are fixed. */
  builtIn: Generated<boolean>;
  version: Generated<number>;
  /** Version of the KPI's target set (ETag of GET/PUT …/targets). */
  targetsVersion: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
