import { type Static, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { CalendarDate } from '../../http/schemas/dates.js';
import { PageQuery, UpdatedSinceQuery } from '../../http/schemas/pagination.js';
import { ACTIVITY_MODES } from '../kpis/dimensions.js';
import { RegionSchema } from '../members/schemas.js';

/** Documented maxima (docs/integrators.md → Conventions). */
const ACTIVITY_LIMITS = {
  titleLength: 300,
  cityLength: 100,
  participants: 1000,
  peoplePerMember: 100_000,
} as const;

const ACTIVITY_TYPES = ['training', 'trade_fair', 'b2b_mission', 'coaching', 'awareness'] as const;

const ActivityTypeSchema = component('ActivityType', Type.Enum([...ACTIVITY_TYPES]));
const ActivityModeSchema = component('ActivityMode', Type.Enum([...ACTIVITY_MODES]));
const ActivityType = ref(ActivityTypeSchema);
const ActivityMode = ref(ActivityModeSchema);
const Region = ref(RegionSchema);
const DateSchema = CalendarDate();
const People = Type.Integer({ minimum: 0, maximum: ACTIVITY_LIMITS.peoplePerMember });

const ParticipantSchema = component(
  'Participant',
  Type.Object(
    {
      memberId: Type.String({ format: 'uuid', description: 'A member the key can see' }),
      women: People,
      men: People,
    },
    { additionalProperties: false, description: 'A member that took part and whom it sent' },
  ),
);

/** The fields an activity is made of; a merge patch is checked against them once applied. */
const activityFields = {
  type: ActivityType,
  mode: ActivityMode,
  title: Type.String({ minLength: 1, maxLength: ACTIVITY_LIMITS.titleLength }),
  startsOn: DateSchema,
  endsOn: CalendarDate('YYYY-MM-DD, on or after startsOn'),
  city: Type.Optional(Type.String({ minLength: 1, maxLength: ACTIVITY_LIMITS.cityLength })),
  region: Type.Optional(Region),
  country: Type.String({
    minLength: 2,
    maxLength: 2,
    description: 'ISO 3166-1 alpha-2 code of the country where it took place, e.g. MA',
  }),
  participants: Type.Array(ref(ParticipantSchema), {
    maxItems: ACTIVITY_LIMITS.participants,
    description: `At most ${ACTIVITY_LIMITS.participants}; each member once`,
  }),
};

export const NewActivitySchema = component(
  'NewActivity',
  Type.Object(
    {
      partnerCode: Type.Optional(
        Type.String({
          maxLength: 40,
          description: 'Required with an admin key; implied (and only its own) with a partner key',
        }),
      ),
      ...activityFields,
    },
    { additionalProperties: false },
  ),
);
export type NewActivity = Static<typeof NewActivitySchema>;

/** A whole activity after a merge patch: partnerCode is present and cannot change. */
export const ActivityStateSchema = Type.Object(
  { partnerCode: Type.String(), ...activityFields },
  { additionalProperties: false },
);

/** RFC 7396: any field; null removes an optional one; `participants` is replaced as a whole. */
export const ActivityPatchSchema = component(
  'ActivityPatch',
  Type.Object(
    {},
    {
      additionalProperties: true,
      maxProperties: 20,
      description:
        'JSON merge patch of the activity (RFC 7396); `participants`, when sent, replaces the list',
    },
  ),
);

export const ActivitySchema = responseComponent(
  'Activity',
  Type.Object(
    {
      id: Type.String({ format: 'uuid' }),
      partnerCode: Type.String(),
      type: ActivityType,
      mode: ActivityMode,
      title: Type.String(),
      startsOn: DateSchema,
      endsOn: DateSchema,
      city: Type.Union([Type.String(), Type.Null()]),
      region: Type.Union([Type.String(), Type.Null()]),
      country: Type.String(),
      participants: Type.Array(
        Type.Object({
          memberId: Type.String({ format: 'uuid' }),
          women: Type.Integer(),
          men: Type.Integer(),
        }),
      ),
      totals: Type.Object(
        { members: Type.Integer(), women: Type.Integer(), men: Type.Integer() },
        { description: 'Participating members and the people they sent' },
      ),
      version: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      updatedAt: Type.String({ format: 'date-time' }),
    },
    { title: 'A training, trade fair, B2B mission, coaching or awareness session' },
  ),
);
export const ActivityParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ActivityListQuery = Type.Object(
  {
    ...PageQuery,
    ...UpdatedSinceQuery,
    partner: Type.Optional(Type.String({ maxLength: 40, description: 'Partner code' })),
    type: Type.Optional(ActivityType),
    mode: Type.Optional(ActivityMode),
    from: Type.Optional(CalendarDate('Activities starting on or after this day')),
    to: Type.Optional(
      CalendarDate('Activities starting on or before this day (KPIs count activities by start)'),
    ),
    memberId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Activities this member took part in' }),
    ),
  },
  { additionalProperties: false },
);
export type ActivityListFilters = Static<typeof ActivityListQuery>;
