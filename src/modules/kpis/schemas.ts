import { type Static, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { MultilingualName, MultilingualText } from '../../http/schemas/multilingual.js';
import { BoundedNumber } from '../../http/schemas/numbers.js';
import { PageQuery } from '../../http/schemas/pagination.js';
import { MULTILINE } from '../../http/schemas/text.js';
import { PERIOD_PATTERN } from '../periods/period.js';

export const KPI_LIMITS = {
  codeLength: 40,
  unitLength: 40,
  targets: 2000,
  importRows: 1000,
  commentLength: 2000,
  urlLength: 2000,
};

const KpiCode = Type.String({
  pattern: `^[A-Z][A-Z0-9_]{1,${KPI_LIMITS.codeLength - 1}}$`,
  description: 'Upper-case code, e.g. EXPORT_SALES',
  examples: ['EXPORT_SALES'],
});

const ResultLevelSchema = component('KpiResultLevel', Type.Enum(['output', 'outcome', 'impact']));
const MeasureSchema = component(
  'KpiMeasure',
  Type.Enum(['unit', 'percentage', 'qualitative'], {
    description: 'qualitative values are scores on the scale the KPI describes, with a comment',
  }),
);
const SourceSchema = component('KpiSource', Type.Enum(['computed', 'reported']));
const CumulationSchema = component(
  'KpiCumulation',
  Type.Enum(['period', 'cumulative', 'snapshot'], {
    description:
      'period: a flow within the period; cumulative: the flow from the programme start; snapshot: the state at its last day',
  }),
);
export const DimensionSchema = component(
  'KpiDimension',
  Type.Enum(['partner', 'region', 'memberType', 'womenLed', 'sex', 'mode']),
);

const ResultLevel = ref(ResultLevelSchema);
const Measure = ref(MeasureSchema);
const Source = ref(SourceSchema);
const Cumulation = ref(CumulationSchema);
const Dimension = ref(DimensionSchema);

const yearValueFields = {
  year: Type.Integer({ minimum: 1900, maximum: 2100 }),
  value: BoundedNumber(),
};
const YearValueSchema = component(
  'YearValue',
  Type.Object(yearValueFields, { additionalProperties: false, description: 'A value of a year' }),
);
const YearValue = ref(YearValueSchema);

const definitionFields = {
  name: MultilingualName,
  description: Type.Optional(MultilingualText),
  resultLevel: ResultLevel,
  measure: Measure,
  unit: Type.String({ minLength: 1, maxLength: KPI_LIMITS.unitLength, examples: ['MAD'] }),
  ascending: Type.Boolean({ description: 'true when more is better' }),
  source: Source,
  cumulation: Cumulation,
  dimensions: Type.Array(Dimension, {
    uniqueItems: true,
    maxItems: 6,
    description: 'The disaggregations targets and values may use',
  }),
  baseline: Type.Optional(YearValue),
  endTarget: Type.Optional(
    Type.Object(yearValueFields, {
      additionalProperties: false,
      description: 'End-of-programme target, stored on its own (never a sum of annual targets)',
    }),
  ),
};

export const NewKpiSchema = component(
  'NewKpi',
  Type.Object({ code: KpiCode, ...definitionFields }, { additionalProperties: false }),
);
type NewKpi = Static<typeof NewKpiSchema>;

/** A PUT replaces the whole definition: absent optional fields are cleared. */
export const KpiUpdateSchema = component(
  'KpiUpdate',
  Type.Object(
    { code: Type.Optional(KpiCode), ...definitionFields },
    {
      additionalProperties: false,
      description: 'The whole definition of a KPI: absent optional fields are cleared',
    },
  ),
);
export type KpiDefinition = Omit<NewKpi, 'code'>;

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** A KPI as answered; reports add fields to it (reports/schemas.ts). */
export const kpiFields = {
  code: Type.String(),
  name: MultilingualName,
  description: nullable(MultilingualText),
  resultLevel: ResultLevel,
  measure: Measure,
  unit: Type.String(),
  ascending: Type.Boolean(),
  source: Source,
  cumulation: Cumulation,
  dimensions: Type.Array(Dimension),
  baseline: nullable(YearValue),
  endTarget: nullable(YearValue),
  builtIn: Type.Boolean({
    description: 'A seeded computed KPI: source, measure, cumulation and dimensions are fixed',
  }),
  version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};
export const KpiSchema = responseComponent(
  'Kpi',
  Type.Object(kpiFields, { title: 'A KPI definition: what is counted, how, and its targets' }),
);
export type Kpi = Static<typeof KpiSchema>;

export const KpiParams = Type.Object({ code: Type.String({ maxLength: KPI_LIMITS.codeLength }) });

export const KpiListQuery = Type.Object(
  {
    source: Type.Optional(Source),
    resultLevel: Type.Optional(ResultLevel),
  },
  { additionalProperties: false },
);

const PeriodText = Type.String({
  maxLength: 16,
  description: '`YYYY`, `YYYYQn` or `YYYY-MM`',
  examples: ['2025', '2025Q3', '2025-07'],
});

const DisaggregationSchema = component(
  'Disaggregation',
  Type.Record(
    Type.String({ maxLength: 20 }),
    Type.Union([Type.String({ maxLength: 40 }), Type.Boolean()]),
    {
      maxProperties: 6,
      description: 'Dimension → value, e.g. `{ "partner": "FENIP" }`; only the KPI’s dimensions',
      examples: [{ partner: 'FENIP' }, { sex: 'F' }],
    },
  ),
);
const Disaggregation = ref(DisaggregationSchema);

const TargetInputSchema = component(
  'TargetInput',
  Type.Object(
    {
      period: PeriodText,
      disaggregation: Type.Optional(Disaggregation),
      value: BoundedNumber(),
    },
    { additionalProperties: false },
  ),
);
export type TargetInput = Static<typeof TargetInputSchema>;

export const TargetsBodySchema = Type.Array(ref(TargetInputSchema), {
  maxItems: KPI_LIMITS.targets,
  description: `The KPI's whole target set (at most ${KPI_LIMITS.targets}); it replaces the current one`,
});

const DisaggregationOut = Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()]));

const TargetSchema = responseComponent(
  'Target',
  Type.Object({
    period: Type.String(),
    start: Type.String({ format: 'date' }),
    end: Type.String({ format: 'date' }),
    disaggregation: DisaggregationOut,
    value: Type.Number(),
  }),
);

export const TargetSetSchema = responseComponent(
  'TargetSet',
  Type.Object({
    kpi: Type.String(),
    version: Type.Integer({ description: 'Version of the target set, also its ETag' }),
    data: Type.Array(ref(TargetSchema)),
    nextCursor: Type.Null({ description: 'A target set is never paged' }),
  }),
);

const ValueInputSchema = component(
  'KpiValueInput',
  Type.Object(
    {
      kpi: Type.String({ maxLength: KPI_LIMITS.codeLength, description: 'A reported KPI code' }),
      period: PeriodText,
      partnerCode: Type.Optional(
        Type.String({
          maxLength: 40,
          description: 'Required with an admin key; implied (and only its own) with a partner key',
        }),
      ),
      disaggregation: Type.Optional(Disaggregation),
      value: Type.Optional(BoundedNumber({ description: 'The value; or numerator + denominator' })),
      numerator: Type.Optional(
        BoundedNumber({ description: 'Percentages only, with denominator' }),
      ),
      denominator: Type.Optional(BoundedNumber({ description: 'Percentages only; > 0' })),
      comment: Type.Optional(
        Type.String({ maxLength: KPI_LIMITS.commentLength, [MULTILINE]: true }),
      ),
      evidenceUrl: Type.Optional(
        Type.String({ format: 'uri', maxLength: KPI_LIMITS.urlLength, pattern: '^https?://' }),
      ),
    },
    { additionalProperties: false, description: 'A reported value of a KPI for a period' },
  ),
);
export type ValueInput = Static<typeof ValueInputSchema>;

export const ValueImportSchema = Type.Object(
  {
    values: Type.Array(ref(ValueInputSchema), { minItems: 1, maxItems: KPI_LIMITS.importRows }),
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'Check and classify every row, write nothing' }),
    ),
  },
  { additionalProperties: false },
);

export const KpiValueSchema = responseComponent(
  'KpiValue',
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      kpi: Type.String(),
      period: Type.String(),
      start: Type.String({ format: 'date' }),
      end: Type.String({ format: 'date' }),
      partnerCode: Type.String(),
      disaggregation: DisaggregationOut,
      value: Type.Union([Type.Number(), Type.Null()], {
        description: 'null only for a figure stored out of bounds before they were checked',
      }),
      numerator: Type.Union([Type.Number(), Type.Null()]),
      denominator: Type.Union([Type.Number(), Type.Null()]),
      comment: Type.Union([Type.String(), Type.Null()]),
      evidenceUrl: Type.Union([Type.String(), Type.Null()]),
      version: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    },
    { title: 'A reported value of a KPI' },
  ),
);

export const ValueListQuery = Type.Object(
  {
    ...PageQuery,
    kpi: Type.Optional(Type.String({ maxLength: KPI_LIMITS.codeLength })),
    period: Type.Optional(
      Type.String({
        pattern: PERIOD_PATTERN,
        description: 'Values whose period lies within this one (2025 also gives 2025Q1, 2025-03…)',
      }),
    ),
    partner: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
