/**
 * The names a grid's XLSForm gives its questions, groups and choice lists (docs/field-collection.md).
 *
 * Every name matches `^[a-z][a-z0-9_]*$`: Kobo joins group paths with `/`, ODK Central's OData
 * rewrites identifiers outside `[A-Za-z0-9_]` and its CSV joins paths with `-`, so only such
 * names come back from every tool unchanged. A criterion's question is `c_` + its code in lower
 * case with every run of other characters than `a-z0-9` as `_` (the name rule). Codes may differ
 * only by case or punctuation (`A.1`, `a-1`) and then share a name: the later criteria, in grid
 * order, get `_2`, `_3`… The form and the import both derive names from the grid with this one
 * function, so a name always maps back to the criterion it was written for.
 */
import type { Criterion, GridDefinition } from '../grids/definition.js';

/** Lower case; every run of characters outside a-z0-9 becomes one `_`. */
function slug(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]+/g, '_');
}

/** The name rule of docs/field-collection.md, before collisions are resolved. */
export const criterionBaseName = (code: string) => `c_${slug(code)}`;

/** Fixed questions of every form; none starts with a generated prefix (`c_`, `d_`, `na_`, `l_`). */
export const FIXED = {
  memberRef: 'member_ref',
  memberType: 'member_type',
  productChapters: 'product_chapters',
  assessedOn: 'assessed_on',
  assessorName: 'assessor_name',
  assessorOrganisation: 'assessor_organisation',
  identity: 'identity',
} as const;

/** Names of the choice lists shared by all criteria of a kind. */
export const SHARED_LISTS = {
  memberType: 'member_types',
  productChapters: 'hs_chapters',
  applicable: 'applicable',
} as const;

/** The N/A choice of a list whose other names are `taken` (option codes are free text). */
export function notApplicableChoice(taken: readonly string[]): string {
  let name = 'na';
  for (let n = 2; taken.includes(name); n++) name = `na_${n}`;
  return name;
}

export interface CriterionNames {
  criterion: Criterion;
  dimensionCode: string;
  /** The question holding the answer. */
  question: string;
  /** The select_one N/A question of a number criterion that allows N/A. */
  notApplicable: string | null;
  /** The choice list of a select_one question. */
  list: string | null;
}

export interface FormNames {
  groups: Map<string, string>;
  criteria: CriterionNames[];
  /** Question name → its criterion's names (both the answer and the N/A question). */
  byQuestion: Map<string, CriterionNames>;
}

/** Adds `_2`, `_3`… to a name already used. */
function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
  used.add(name);
  return name;
}

function listName(criterion: Criterion, question: string): string | null {
  const answer = criterion.answer;
  const na = criterion.notApplicableAllowed ? '_na' : '';
  switch (answer.type) {
    case 'boolean':
      return `l_yes_no${na}`;
    case 'scale':
      return `l_scale_${answer.maxLevel}${na}`;
    case 'choice':
      // Options are the criterion's own: one list per criterion, named after its question
      // (`l_c_…` never meets the shared `l_yes_no…` and `l_scale_…`).
      return `l_${question}`;
    case 'number':
      return null;
  }
}

export function formNames(grid: GridDefinition): FormNames {
  const usedQuestions = new Set<string>();
  const usedGroups = new Set<string>();
  const groups = new Map<string, string>();
  const criteria: CriterionNames[] = [];
  const byQuestion = new Map<string, CriterionNames>();
  for (const dimension of grid.dimensions) {
    groups.set(dimension.code, uniqueName(`d_${slug(dimension.code)}`, usedGroups));
    for (const criterion of dimension.criteria) {
      const question = uniqueName(criterionBaseName(criterion.code), usedQuestions);
      const naQuestion =
        criterion.answer.type === 'number' && criterion.notApplicableAllowed
          ? `na_${question.slice(2)}`
          : null;
      const names: CriterionNames = {
        criterion,
        dimensionCode: dimension.code,
        question,
        notApplicable: naQuestion,
        list: listName(criterion, question),
      };
      criteria.push(names);
      byQuestion.set(question, names);
      if (naQuestion !== null) byQuestion.set(naQuestion, names);
    }
  }
  return { groups, criteria, byQuestion };
}
