import { type Static, type TSchema, Type } from 'typebox';
import { component, ref, responseComponent } from '../../http/schemas/components.js';
import { CalendarDate } from '../../http/schemas/dates.js';
import { Nullable } from '../../http/schemas/nullable.js';
import { PageQuery, UpdatedSinceQuery } from '../../http/schemas/pagination.js';
import { PartnerCode } from '../partners/schemas.js';
import { REGIONS } from '../reference/subdivisions.js';
import { MemberTypeRef } from './member-type.js';

/** Documented maxima (docs/integrators.md → Conventions). */
export const LIMITS = {
  products: 100,
  certifications: 50,
  markets: 250,
  contacts: 20,
  socialMedia: 20,
  bulkRows: 1000,
  /** Body limit of POST /v1/members/bulk: 1,000 full rows fit. */
  bulkBodyBytes: 5 * 1024 * 1024,
} as const;

const text = (maxLength: number, extra: object = {}) =>
  Type.String({ minLength: 1, maxLength, ...extra });
/** Optional in requests; null there means "not given", as in responses. */
const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

const MemberStatusSchema = component(
  'MemberStatus',
  Type.Enum(['active', 'suspended', 'withdrawn']),
);
const MemberStatus = ref(MemberStatusSchema);
export const RegionSchema = component(
  'Region',
  Type.Enum(
    REGIONS.map((r) => r.code),
    { description: 'ISO 3166-2:MA region, MA-01…MA-12' },
  ),
);
const Region = ref(RegionSchema);
const DateSchema = CalendarDate();
const ExternalRef = text(100, {
  pattern: '^\\S(.*\\S)?$',
  description: "The partner system's own id of the member; unique per partner",
});
const Ice = Type.String({
  maxLength: 15,
  description: 'ICE: 15 digits, the whole number divisible by 97 (mod 97-10)',
  examples: ['002284350000097'],
});
const HsCode = Type.String({
  maxLength: 7,
  description: 'Harmonized System subheading, `091020` or `0910.20`; answered as 6 digits',
  examples: ['091020'],
});
const CountryCode = Type.String({
  minLength: 2,
  maxLength: 2,
  description: 'ISO 3166-1 alpha-2 country code, e.g. CH',
});
const Phone = Type.String({ maxLength: 16, description: 'E.164, e.g. +212612345678' });
const Count = Type.Integer({ minimum: 0, maximum: 10_000_000 });
const BySex = Type.Object(
  { women: Count, men: Count },
  { additionalProperties: false, description: 'Numbers of women and men' },
);

const ProductSchema = component(
  'Product',
  Type.Object(
    { hsCode: HsCode, name: Type.Optional(text(200)), organic: Type.Optional(Type.Boolean()) },
    { additionalProperties: false },
  ),
);
const CertificationSchema = component(
  'Certification',
  Type.Object(
    {
      scheme: text(100, { description: 'e.g. EU organic, Fairtrade, ISO 22000' }),
      body: Type.Optional(text(200, { description: 'Certification body' })),
      number: Type.Optional(text(100)),
      validUntil: Type.Optional(DateSchema),
    },
    { additionalProperties: false },
  ),
);
const DigitalSchema = Type.Object(
  {
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 300 })),
    ecommerce: Type.Optional(Type.Boolean()),
    socialMedia: Type.Optional(
      Type.Array(text(300), { maxItems: LIMITS.socialMedia, description: 'Page URLs or handles' }),
    ),
  },
  { additionalProperties: false },
);
const ContactSchema = component(
  'Contact',
  Type.Object(
    {
      name: text(200),
      role: Type.Optional(text(100)),
      email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
      phone: Type.Optional(Phone),
    },
    { additionalProperties: false },
  ),
);
const Rc = Type.Object(
  {
    tribunal: text(100, {
      description: 'Tribunal of the registry: RC numbers are unique per tribunal',
    }),
    number: text(30),
  },
  { additionalProperties: false, description: 'Registre du commerce' },
);
const Markets = (description: string) =>
  Type.Array(CountryCode, { maxItems: LIMITS.markets, uniqueItems: true, description });

const Product = ref(ProductSchema);
const Certification = ref(CertificationSchema);
const Contact = ref(ContactSchema);

/** The fields a caller writes: shared by create, replace (PUT), bulk rows and patches. */
const memberFields = {
  externalRef: nullable(ExternalRef),
  type: MemberTypeRef,
  name: text(200),
  legalForm: nullable(text(50, { description: 'e.g. SARL, SA, coopérative' })),
  ice: nullable(Ice),
  taxId: nullable(text(30, { description: 'Identifiant fiscal (IF), kept as text' })),
  rc: nullable(Rc),
  region: Region,
  province: nullable(
    Type.String({
      maxLength: 6,
      description: 'ISO 3166-2:MA province or prefecture of the region',
    }),
  ),
  city: nullable(text(100)),
  remoteArea: Type.Boolean(),
  womenLed: Type.Boolean(),
  membersCount: nullable(BySex),
  employees: nullable(BySex),
  products: Type.Optional(Type.Array(Product, { maxItems: LIMITS.products })),
  certifications: Type.Optional(Type.Array(Certification, { maxItems: LIMITS.certifications })),
  exportMarkets: Type.Optional(Markets('Countries exported to')),
  targetMarkets: Type.Optional(Markets('Countries aimed at')),
  digital: nullable(DigitalSchema),
  joinedOn: nullable(CalendarDate('Defaults to the day of registration')),
  contacts: Type.Optional(Type.Array(Contact, { maxItems: LIMITS.contacts })),
};

const partnerCodeField = Type.Optional(
  Type.String({
    maxLength: 40,
    description: "Required for admin keys; a partner key's own partner is implied",
  }),
);

export const NewMemberSchema = component(
  'NewMember',
  Type.Object({ partnerCode: partnerCodeField, ...memberFields }, { additionalProperties: false }),
);
/**
 * A bulk row: as a new member, with the externalRef that identifies it and, optionally, the
 * version it was based on (the row's If-Match; docs/sync.md). Not a component of the contract:
 * the request documents rows as free objects because each is validated on its own and a bad
 * one fails alone, while the contract promises that a schema-valid request is accepted.
 */
export const BulkRowSchema = Type.Object(
  {
    partnerCode: partnerCodeField,
    ...memberFields,
    externalRef: ExternalRef,
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 999_999_999,
        description:
          'The `version` you read: the row then updates that version only (else it fails as ' +
          'a conflict). Without it, the row may update only a member whose current version ' +
          'your credential wrote.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What a merge patch must leave behind: the writable fields plus the status. */
export const MemberStateSchema = Type.Object(
  {
    partnerCode: Type.String(),
    ...memberFields,
    status: MemberStatus,
    withdrawnOn: Type.Optional(DateSchema),
  },
  { additionalProperties: false },
);

const MemberPatchSchema = component(
  'MemberPatch',
  Type.Object(
    {},
    {
      additionalProperties: true,
      description:
        'JSON merge patch (RFC 7396) of the member: the fields of a new member, plus `status` and ' +
        '`withdrawnOn` (a past date, with status `withdrawn`); `null` removes an optional field.',
    },
  ),
);

const MemberSchema = responseComponent(
  'Member',
  Type.Object({
    id: Type.String({ format: 'uuid' }),
    partnerCode: PartnerCode,
    externalRef: Nullable(Type.String()),
    type: MemberTypeRef,
    name: Type.String(),
    legalForm: Nullable(Type.String()),
    ice: Nullable(Type.String()),
    taxId: Nullable(Type.String()),
    rc: Nullable(Rc),
    region: Type.String(),
    province: Nullable(Type.String()),
    city: Nullable(Type.String()),
    remoteArea: Type.Boolean(),
    womenLed: Type.Boolean(),
    membersCount: Nullable(BySex),
    employees: Nullable(BySex),
    products: Type.Array(Product),
    certifications: Type.Array(Certification),
    exportMarkets: Type.Array(Type.String()),
    targetMarkets: Type.Array(Type.String()),
    digital: Nullable(DigitalSchema),
    joinedOn: Type.String({ format: 'date' }),
    contacts: Type.Array(Contact),
    status: MemberStatus,
    withdrawnOn: Nullable(Type.String({ format: 'date' })),
    personalDataErasedAt: Nullable(Type.String({ format: 'date-time' })),
    readiness: Nullable(
      Type.String({ description: 'Current readiness category (latest submitted assessment)' }),
    ),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  }),
);
export type Member = Static<typeof MemberSchema>;

export const MemberParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ExternalRefParams = Type.Object({
  code: Type.String({ maxLength: 40 }),
  externalRef: ExternalRef,
});

export const MemberListQuery = Type.Object(
  {
    ...PageQuery,
    ...UpdatedSinceQuery,
    partner: Type.Optional(Type.String({ maxLength: 40, description: 'Partner code' })),
    type: Type.Optional(MemberTypeRef),
    region: Type.Optional(Region),
    province: Type.Optional(Type.String({ maxLength: 6 })),
    womenLed: Type.Optional(Type.Boolean()),
    remoteArea: Type.Optional(Type.Boolean()),
    status: Type.Optional(MemberStatus),
    category: Type.Optional(Type.String({ maxLength: 20, description: 'Readiness category' })),
    hsCode: Type.Optional(Type.String({ maxLength: 7, description: '`091020` or `0910.20`' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Part of the name; case- and accent-insensitive',
      }),
    ),
  },
  { additionalProperties: false },
);
export type MemberListFilters = Static<typeof MemberListQuery>;

export const BulkRequestSchema = Type.Object(
  {
    members: Type.Array(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description:
            'A member as for POST /v1/members, with a required `externalRef` and an optional ' +
            '`version` (the If-Match of the row); each row is validated on its own and ' +
            'answered in `results`.',
        },
      ),
      { minItems: 1, maxItems: LIMITS.bulkRows },
    ),
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'Validate and classify only' }),
    ),
  },
  { additionalProperties: false },
);

export const MemberRef = ref(MemberSchema);
export const NewMemberRef = ref(NewMemberSchema);
export const MemberPatchRef = ref(MemberPatchSchema);
