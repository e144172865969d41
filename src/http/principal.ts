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
