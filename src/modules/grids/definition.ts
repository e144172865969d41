/**
 * Readiness grid definitions: the request body of `POST /v1/grids` (see docs/scoring.md).
 *
 * Two layers, on purpose:
 * - the TypeBox schemas below check the *shape* (types, required fields, lengths, code patterns)
 *   and are what Fastify validates the body against;
 * - `validateGridDefinition` checks the *meaning* (ranges, uniqueness, ordering, references)
 *   and lists every problem at once with a JSON pointer, so an author fixing a 40-criterion grid
 *   sees all mistakes in one 400 instead of one per round trip. Numeric ranges live there rather
 *   than in the schema (Fastify's Ajv stops at the first schema error); each field's
 *   `description` documents the range so the OpenAPI document still shows it.
 */
import { type Static, Type } from 'typebox';
import { component, ref } from '../../http/schemas/components.js';
import { MultilingualName, MultilingualText } from '../../http/schemas/multilingual.js';
import { BoundedNumber } from '../../http/schemas/numbers.js';
import { MEMBER_TYPES, MemberTypeRef } from '../members/member-type.js';

/** Size limits: generous for real grids, small enough to bound the cost of scoring. */
export const GRID_LIMITS = {
  codeLength: 40,
  categories: 10,
  dimensions: 20,
  criteriaPerDimension: 30,
  bands: 20,
  options: 20,
  hsChapters: 100,
  maxLevel: 100,
} as const;

/** Category code reserved for the result of an assessment that cannot be categorised. */
export const INCOMPLETE = 'INCOMPLETE';

export const CodeSchema = Type.String({
  pattern: `^[A-Za-z0-9_.-]{1,${GRID_LIMITS.codeLength}}$`,
  description: 'Letters, digits, `_`, `.`, `-`; 1 to 40 characters.',
});

export const TitleSchema = MultilingualName;
export const TextSchema = MultilingualText;
export type { Multilingual } from '../../http/schemas/multilingual.js';

export { MEMBER_TYPES, type MemberType } from '../members/member-type.js';

const score01 = (description: string) =>
  BoundedNumber({ description: `${description} Between 0 and 1.` });

const BooleanAnswerSchema = Type.Object(
  { type: Type.Literal('boolean') },
  { additionalProperties: false, description: 'true scores 1, false scores 0.' },
);

const ScaleAnswerSchema = Type.Object(
  {
    type: Type.Literal('scale'),
    maxLevel: BoundedNumber({
      description: `Highest level L (integer, 1 to ${GRID_LIMITS.maxLevel}); level ℓ scores ℓ/L.`,
    }),
  },
  { additionalProperties: false },
);

const BandSchema = Type.Object(
  {
    min: BoundedNumber({
      description: 'Lower bound (inclusive); strictly increasing across bands.',
    }),
    score: score01('Score of a value in this band.'),
  },
  { additionalProperties: false },
);

const NumberAnswerSchema = Type.Object(
  {
    type: Type.Literal('number'),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    bands: Type.Array(BandSchema, {
      minItems: 1,
      maxItems: GRID_LIMITS.bands,
      description: 'A value x scores the band with the greatest min ≤ x; 0 below the first band.',
    }),
  },
  { additionalProperties: false },
);

const OptionSchema = Type.Object(
  {
    code: CodeSchema,
    score: score01('Score of this option.'),
    label: Type.Optional(TitleSchema),
  },
  { additionalProperties: false },
);

const ChoiceAnswerSchema = Type.Object(
  {
    type: Type.Literal('choice'),
    options: Type.Array(OptionSchema, {
      minItems: 1,
      maxItems: GRID_LIMITS.options,
      description: 'Option codes are unique within the criterion.',
    }),
  },
  { additionalProperties: false },
);

/** Discriminated by `type` (plain anyOf: Fastify's Ajv has no `discriminator` keyword on). */
const AnswerTypeSchema = component(
  'AnswerType',
  Type.Union([BooleanAnswerSchema, ScaleAnswerSchema, NumberAnswerSchema, ChoiceAnswerSchema], {
    title: 'How a criterion is answered and scored',
  }),
);
export type AnswerType = Static<typeof AnswerTypeSchema>;

const KnockoutSchema = component(
  'Knockout',
  Type.Object(
    {
      cap: Type.String({ description: 'Code of an existing category: the best one reachable.' }),
      minScore: Type.Optional(
        BoundedNumber({
          description: 'Fails when the criterion score is below it; in (0, 1], default 1.',
        }),
      ),
    },
    { additionalProperties: false },
  ),
);
type Knockout = Static<typeof KnockoutSchema>;

const AppliesToSchema = component(
  'AppliesTo',
  Type.Object(
    {
      memberTypes: Type.Optional(
        Type.Array(MemberTypeRef, { minItems: 1, maxItems: MEMBER_TYPES.length }),
      ),
      hsChapters: Type.Optional(
        Type.Array(Type.String({ pattern: '^[0-9]{2}([0-9]{2}){0,2}$' }), {
          minItems: 1,
          maxItems: GRID_LIMITS.hsChapters,
          description:
            'Prefixes (2, 4 or 6 digits) of the 6-digit HS codes of the member’s products, e.g. "03" or "0910".',
        }),
      ),
    },
    { additionalProperties: false, description: 'Which members the criterion applies to.' },
  ),
);
export type AppliesTo = Static<typeof AppliesToSchema>;

const CriterionSchema = component(
  'Criterion',
  Type.Object(
    {
      code: CodeSchema,
      title: TitleSchema,
      weight: BoundedNumber({ description: 'Relative weight within the dimension; > 0.' }),
      answer: ref(AnswerTypeSchema),
      knockout: Type.Optional(ref(KnockoutSchema)),
      notApplicableAllowed: Type.Optional(Type.Boolean({ default: false })),
      appliesTo: Type.Optional(ref(AppliesToSchema)),
      recommendation: TextSchema,
      help: Type.Optional(TextSchema),
    },
    { additionalProperties: false, title: 'A question of a grid, scored 0 to 1' },
  ),
);
export type Criterion = Static<typeof CriterionSchema>;

const DimensionSchema = component(
  'Dimension',
  Type.Object(
    {
      code: CodeSchema,
      title: TitleSchema,
      weight: BoundedNumber({ description: 'Relative weight of the dimension; > 0.' }),
      criteria: Type.Array(ref(CriterionSchema), {
        minItems: 1,
        maxItems: GRID_LIMITS.criteriaPerDimension,
      }),
    },
    { additionalProperties: false, title: 'A group of criteria of a grid' },
  ),
);
export type Dimension = Static<typeof DimensionSchema>;

const CategorySchema = component(
  'Category',
  Type.Object(
    {
      code: CodeSchema,
      label: TitleSchema,
      minScore: BoundedNumber({ description: 'Lowest score (0 to 100) of the category.' }),
    },
    { additionalProperties: false, title: 'A readiness category of a grid' },
  ),
);
export type Category = Static<typeof CategorySchema>;

/** The fields of a definition; the grid as answered has them too (schemas.ts). */
export const gridDefinitionFields = {
  code: CodeSchema,
  title: TitleSchema,
  description: Type.Optional(TextSchema),
  minCoverage: Type.Optional(
    BoundedNumber({ default: 0.8, description: 'Between 0 and 1; default 0.8.' }),
  ),
  categories: Type.Array(ref(CategorySchema), {
    minItems: 1,
    maxItems: GRID_LIMITS.categories,
    description: 'Best first, strictly decreasing minScore, the last at 0.',
  }),
  dimensions: Type.Array(ref(DimensionSchema), {
    minItems: 1,
    maxItems: GRID_LIMITS.dimensions,
  }),
};

export const GridDefinitionSchema = component(
  'GridDefinition',
  Type.Object(gridDefinitionFields, {
    additionalProperties: false,
    title: 'What a grid author writes: the body of POST /v1/grids and PUT /v1/grids/{id}',
  }),
);
export type GridDefinition = Static<typeof GridDefinitionSchema>;

export const DEFAULT_MIN_COVERAGE = 0.8;

export type ValidationIssue = { pointer: string; message: string };

/**
 * The semantic rules of a grid definition (the schema has already checked the shape).
 * Returns every problem found, in document order; an empty list means the grid is valid.
 * Pointers are relative to the body root, e.g. `/dimensions/1/criteria/0/weight`.
 */
export function validateGridDefinition(def: GridDefinition): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const report = (pointer: string, message: string) => issues.push({ pointer, message });

  if (def.minCoverage !== undefined && !inRange(def.minCoverage, 0, 1)) {
    report('/minCoverage', `must be between 0 and 1 (got ${def.minCoverage})`);
  }
  checkCategories(def.categories, report);
  const categoryCodes = new Set(def.categories.map((c) => c.code));
  checkDimensions(def.dimensions, categoryCodes, report);
  return issues;
}

type Report = (pointer: string, message: string) => void;

function inRange(x: number, min: number, max: number): boolean {
  return Number.isFinite(x) && x >= min && x <= max;
}

function isPositive(x: number): boolean {
  return Number.isFinite(x) && x > 0;
}

/**
 * Reports each repeated code at its own position, naming where it was first seen, so the
 * author can find both occurrences.
 */
function checkUnique(
  entries: { code: string; pointer: string }[],
  what: string,
  report: Report,
  seen = new Map<string, string>(),
): void {
  for (const { code, pointer } of entries) {
    const first = seen.get(code);
    if (first === undefined) seen.set(code, pointer);
    else report(pointer, `duplicate ${what} "${code}" (first at ${first})`);
  }
}

function checkCategories(categories: Category[], report: Report): void {
  if (categories.length === 0) {
    report('/categories', 'at least one category is required');
    return;
  }
  checkUnique(
    categories.map((c, i) => ({ code: c.code, pointer: `/categories/${i}/code` })),
    'category code',
    report,
  );
  categories.forEach((category, i) => {
    const at = `/categories/${i}`;
    if (category.code === INCOMPLETE) {
      report(`${at}/code`, `"${INCOMPLETE}" is reserved for incomplete assessments`);
    }
    if (!inRange(category.minScore, 0, 100)) {
      report(`${at}/minScore`, `must be between 0 and 100 (got ${category.minScore})`);
      return;
    }
    const previous = categories[i - 1];
    if (previous !== undefined && !(category.minScore < previous.minScore)) {
      report(
        `${at}/minScore`,
        `categories are ordered best first: must be lower than the previous category's minScore ${previous.minScore} (got ${category.minScore})`,
      );
    }
  });
  const lastIndex = categories.length - 1;
  const last = categories[lastIndex]!;
  // Otherwise a low score would fall in no category at all.
  if (last.minScore !== 0) {
    report(
      `/categories/${lastIndex}/minScore`,
      `the last category must have minScore 0 (got ${last.minScore})`,
    );
  }
}

function checkDimensions(
  dimensions: Dimension[],
  categoryCodes: Set<string>,
  report: Report,
): void {
  if (dimensions.length === 0) {
    report('/dimensions', 'at least one dimension is required');
    return;
  }
  checkUnique(
    dimensions.map((d, i) => ({ code: d.code, pointer: `/dimensions/${i}/code` })),
    'dimension code',
    report,
  );
  // Criterion codes identify answers, so they must be unique across the whole grid.
  const criterionCodes = new Map<string, string>();
  dimensions.forEach((dimension, i) => {
    const at = `/dimensions/${i}`;
    if (!isPositive(dimension.weight)) {
      report(`${at}/weight`, `must be greater than 0 (got ${dimension.weight})`);
    }
    if (dimension.criteria.length === 0) {
      report(`${at}/criteria`, 'at least one criterion is required');
    }
    dimension.criteria.forEach((criterion, j) => {
      const cAt = `${at}/criteria/${j}`;
      checkUnique(
        [{ code: criterion.code, pointer: `${cAt}/code` }],
        'criterion code',
        report,
        criterionCodes,
      );
      checkCriterion(criterion, cAt, categoryCodes, report);
    });
  });
}

function checkCriterion(
  criterion: Criterion,
  at: string,
  categoryCodes: Set<string>,
  report: Report,
): void {
  if (!isPositive(criterion.weight)) {
    report(`${at}/weight`, `must be greater than 0 (got ${criterion.weight})`);
  }
  checkAnswerType(criterion.answer, `${at}/answer`, report);
  if (criterion.knockout !== undefined)
    checkKnockout(criterion.knockout, at, categoryCodes, report);
  const appliesTo = criterion.appliesTo;
  // An empty list would silently exclude every member: almost certainly a mistake.
  if (appliesTo?.memberTypes !== undefined && appliesTo.memberTypes.length === 0) {
    report(`${at}/appliesTo/memberTypes`, 'must list at least one member type, or be omitted');
  }
  if (appliesTo?.hsChapters !== undefined && appliesTo.hsChapters.length === 0) {
    report(`${at}/appliesTo/hsChapters`, 'must list at least one HS chapter, or be omitted');
  }
}

function checkKnockout(
  knockout: Knockout,
  at: string,
  categoryCodes: Set<string>,
  report: Report,
): void {
  if (!categoryCodes.has(knockout.cap)) {
    report(`${at}/knockout/cap`, `"${knockout.cap}" is not a category of this grid`);
  }
  const minScore = knockout.minScore;
  // 0 would make a knock-out that can never fail.
  if (minScore !== undefined && !(inRange(minScore, 0, 1) && minScore > 0)) {
    report(`${at}/knockout/minScore`, `must be greater than 0 and at most 1 (got ${minScore})`);
  }
}

function checkAnswerType(answer: AnswerType, at: string, report: Report): void {
  switch (answer.type) {
    case 'boolean':
      return;
    case 'scale':
      if (
        !Number.isInteger(answer.maxLevel) ||
        answer.maxLevel < 1 ||
        answer.maxLevel > GRID_LIMITS.maxLevel
      ) {
        report(
          `${at}/maxLevel`,
          `must be an integer from 1 to ${GRID_LIMITS.maxLevel} (got ${answer.maxLevel})`,
        );
      }
      return;
    case 'number':
      checkBands(answer.bands, at, report);
      return;
    case 'choice':
      checkOptions(answer.options, at, report);
      return;
  }
}

function checkBands(bands: { min: number; score: number }[], at: string, report: Report): void {
  if (bands.length === 0) {
    report(`${at}/bands`, 'at least one band is required');
    return;
  }
  bands.forEach((band, k) => {
    const previous = bands[k - 1];
    if (!Number.isFinite(band.min)) {
      report(`${at}/bands/${k}/min`, `must be a finite number (got ${band.min})`);
    } else if (previous !== undefined && !(band.min > previous.min)) {
      report(
        `${at}/bands/${k}/min`,
        `bands are ascending: must be greater than the previous band's min ${previous.min} (got ${band.min})`,
      );
    }
    if (!inRange(band.score, 0, 1)) {
      report(`${at}/bands/${k}/score`, `must be between 0 and 1 (got ${band.score})`);
    }
  });
}

function checkOptions(
  options: { code: string; score: number }[],
  at: string,
  report: Report,
): void {
  if (options.length === 0) {
    report(`${at}/options`, 'at least one option is required');
    return;
  }
  checkUnique(
    options.map((o, k) => ({ code: o.code, pointer: `${at}/options/${k}/code` })),
    'option code',
    report,
  );
  options.forEach((option, k) => {
    if (!inRange(option.score, 0, 1)) {
      report(`${at}/options/${k}/score`, `must be between 0 and 1 (got ${option.score})`);
    }
  });
}
