import { Type } from 'typebox';
import type { Role } from '../db/tables/api-keys.js';

/**
 * Who made a write, as the audit log and the records' `createdBy` name it. A key's id is its
 * uuid; a person's is the issuer and subject of their tokens, `<issuer>#<subject>` (an issuer
 * URL has no fragment, so the first `#` separates them). See docs/people.md.
 */
export interface Actor {
  kind: 'key' | 'person';
  id: string;
  /** The key's name, or the person's display name when the token carries one. */
  name?: string;
}

/**
 * The caller of a request, whether a machine with an API key or a person with an access token:
 * permissions, tenancy and rate limits read only this, so they apply to both alike.
 */
export interface Principal extends Actor {
  /** The key's id, or the person's `sub` at their identity provider. */
  subject: string;
  /** A person's identity provider (`iss`). */
  issuer?: string;
  role: Role;
  /** The partner a `partner` caller is bound to; null for admin and reporting callers. */
  partnerCode: string | null;
}

/** An actor as the API shows it (audit events, feed entries). */
export const ActorSchema = Type.Object(
  {
    kind: Type.Enum(['key', 'person'], { description: 'An API key (a machine) or a person' }),
    id: Type.String({
      description: "A key's id, or a person's issuer and subject: `<issuer>#<subject>`",
    }),
    name: Type.Optional(
      Type.String({ description: "The key's name or the person's name, as at the time" }),
    ),
  },
  { description: 'Who made the change; null for the service itself' },
);

/** The actor stored as columns (a key's id or a person's id, and a name), or null. */
export function actorFromColumns(stored: {
  actorKeyId: string | null;
  actorPersonId: string | null;
  actorName: string | null;
}): Actor | null {
  const named = stored.actorName === null ? {} : { name: stored.actorName };
  if (stored.actorKeyId !== null) return { kind: 'key', id: stored.actorKeyId, ...named };
  if (stored.actorPersonId !== null) return { kind: 'person', id: stored.actorPersonId, ...named };
  return null;
}

/** The id of a person: their issuer and subject (see Actor). */
export function personId(issuer: string, subject: string): string {
  return `${issuer}#${subject}`;
}

/** The actor part of a principal (what is written down about who did something). */
export function actorOf(principal: Principal): Actor {
  return principal.name === undefined
    ? { kind: principal.kind, id: principal.id }
    : { kind: principal.kind, id: principal.id, name: principal.name };
}
