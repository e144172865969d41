import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Answer, AssessmentResult } from '../../modules/grids/scoring.js';

type AssessmentStatus = 'draft' | 'submitted';

export interface AssessorDoc {
  name: string;
  organisation?: string;
}

/** An assessment of a member on a grid version; its result is frozen at submission. */
export interface AssessmentsTable {
  id: string;
  memberId: string;
  /** The member's partner (repeated for tenancy filters). */
  partnerCode: string;
  gridId: string;
  status: ColumnType<AssessmentStatus, AssessmentStatus | undefined, AssessmentStatus>;
  assessedOn: string;
  assessor: JSONColumnType<AssessorDoc, string, string>;
  answers: JSONColumnType<Answer[], string, string>;
  result: JSONColumnType<AssessmentResult | null, string | null, string | null>;
  /** result.score and result.category again, for filters and KPIs. */
  score: number | null;
  category: string | null;
  /** The assessment this one re-scores on another version of the same grid. */
  rescoredFrom: string | null;
  submittedAt: string | null;
  /** The Kobo or ODK Central submission it was imported from (`kobo:…`, `odk:…`). */
  submissionId: ColumnType<string | null, string | null | undefined, never>;
  version: Generated<number>;
  createdAt: ColumnType<string, never, never>;
  updatedAt: ColumnType<string, never, string>;
}
