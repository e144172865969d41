import { Type } from 'typebox';
import { LangQuery } from '../../http/language.js';
import { ref, responseComponent } from '../../http/schemas/components.js';
import { DimensionSchema, kpiFields } from '../kpis/schemas.js';

const Dimension = ref(DimensionSchema);

export const ReportQuerySchema = Type.Object(
  {
    period: Type.String({
      minLength: 4,
      maxLength: 40,
      description:
        'A period `2025`, `2025Q1`, `2025-03`, or a range of one kind with both ends included: ' +
        '`2024..2025`, `2025Q1..2025Q4`, `2025-01..2025-06` (at most 120 periods)',
      examples: ['2025', '2025Q1..2025Q4'],
    }),
    kpi: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'KPI code or comma-separated codes; default: every KPI',
        examples: ['MEMBERS_ACTIVE,PEOPLE_TRAINED'],
      }),
    ),
    by: Type.Optional(
      Type.String({
        maxLength: 100,
        description:
          'Comma-separated dimensions: partner, region, memberType, womenLed, sex, mode. Each ' +
          'KPI is broken down by those it allows and ignores the others (one allowing none ' +
          'gives its total row only).',
        examples: ['partner,region'],
      }),
    ),
    partner: Type.Optional(
      Type.String({
        maxLength: 40,
        description:
          "Only this partner's figures (rows then carry `partner`). Forced to its own for a partner key.",
      }),
    ),
    live: Type.Optional(
      Type.Boolean({
        description:
          'Admin only: also compute the figures of locked periods from the records as they are now; each row then carries `liveActual`, so drift since the lock is visible',
      }),
    ),
  },
  { additionalProperties: false },
);

const DisaggregationOut = Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()]));
const Num = Type.Union([Type.Number(), Type.Null()]);

const ReportRowSchema = responseComponent(
  'ReportRow',
  Type.Object(
    {
      kpi: Type.String(),
      period: Type.String(),
      disaggregation: DisaggregationOut,
      baseline: Type.Union([Type.Number(), Type.Null()], {
        description: "The definition's baseline, on the programme total row only",
      }),
      target: Type.Union([Type.Number(), Type.Null()], {
        description: 'The target of this KPI, period and disaggregation exactly',
      }),
      actual: Num,
      achievement: Type.Union([Type.Number(), Type.Null()], {
        description:
          'actual / target × 100 (ascending KPI) or target / actual × 100 (descending); null when undefined',
      }),
      liveActual: Type.Optional(
        Type.Union([Type.Number(), Type.Null()], {
          description:
            'With live=true: the figure computed now from the records; differs from `actual` when a locked period’s frozen figure has drifted',
        }),
      ),
    },
    { title: 'The figures of one KPI, period and disaggregation' },
  ),
);

export const ReportSchema = responseComponent(
  'Report',
  Type.Object(
    {
      periods: Type.Array(
        Type.Object({
          period: Type.String(),
          start: Type.String({ format: 'date' }),
          end: Type.String({ format: 'date' }),
          locked: Type.Boolean({
            description: 'The period lies in a period locked for all partners',
          }),
          frozenAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
            description:
              'When the figures of the locked period were frozen: its rows read them, not the live records. Null when not locked (or locked before figures were frozen)',
          }),
        }),
      ),
      by: Type.Array(Dimension),
      partner: Type.Union([Type.String(), Type.Null()]),
      kpis: Type.Array(
        Type.Object(
          {
            ...kpiFields,
            by: Type.Array(Dimension, {
              description:
                'The requested dimensions this KPI allows: its rows are broken down by these',
            }),
          },
          {
            description:
              'The KPIs of the report with their definitions; `endTarget` is the end-of-programme target, never a sum of period targets',
          },
        ),
      ),
      rows: Type.Array(ref(ReportRowSchema), {
        description:
          'Per KPI and period: the total row (empty disaggregation; with a partner filter, `{ partner }`) then one row per group',
      }),
    },
    { title: 'A KPI report: targets and actuals per period and disaggregation' },
  ),
);

export const ChartParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
export const ChartQuerySchema = Type.Object(
  {
    period: ReportQuerySchema.properties.period,
    partner: ReportQuerySchema.properties.partner,
    lang: LangQuery,
  },
  { additionalProperties: false },
);
