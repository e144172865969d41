import { type Static, Type } from 'typebox';
import { component, ref } from '../../http/schemas/components.js';

/** The kinds of member, the one list the schemas, the grids and the KPI dimensions use. */
export const MEMBER_TYPES = ['company', 'cooperative', 'gie', 'association'] as const;

const MemberTypeSchema = component(
  'MemberType',
  Type.Enum(MEMBER_TYPES, { description: 'Company, cooperative, GIE or association' }),
);
export type MemberType = Static<typeof MemberTypeSchema>;
export const MemberTypeRef = ref(MemberTypeSchema);
