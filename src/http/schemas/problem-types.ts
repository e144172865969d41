/**
 * Every problem `type` the service answers with, as `urn:jahiz:problem:<name>`, with the one
 * status and title it always has. Partners branch on these names: add new ones, never rename
 * one. HttpProblem accepts only these names; the contract's description and the table in
 * docs/integrators.md list them (test/http/problem-types.test.ts keeps all three equal).
 */
export const PROBLEM_TYPES = {
  'bad-request': {
    status: 400,
    title: 'Bad request',
    when: 'The URL or the body cannot be read: a malformed URL, a body that is not valid JSON.',
  },
  validation: {
    status: 400,
    title: 'Invalid request',
    when: 'A value breaks the schema or a rule; `errors` lists each problem (`pointer` or `parameter`).',
  },
  'credentials-in-url': {
    status: 400,
    title: 'Credentials in the URL',
    when: 'A key or token was sent as a query parameter; revoke it, send it in `Authorization`.',
  },
  unauthorized: {
    status: 401,
    title: 'Unauthorized',
    when: 'No credentials, or an unknown, revoked or expired key or token (`WWW-Authenticate`).',
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    when: "The caller's role may not do this, or a partner used another partner's path.",
  },
  'person-not-authorised': {
    status: 403,
    title: 'Person not authorised',
    when: "A signed-in person's token carries no usable role or partner.",
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    when: 'No such route or record, or a record of another partner (never told apart).',
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    when: 'The request conflicts with what is stored (an ICE taken, a code that exists…).',
  },
  'period-locked': {
    status: 409,
    title: 'Period locked',
    when: 'A write into a reporting period locked for this partner or for all.',
  },
  'grid-status': {
    status: 409,
    title: 'Grid status forbids it',
    when: 'A published grid edited, an assessment on a grid not published, a status move that does not apply.',
  },
  'assessment-submitted': {
    status: 409,
    title: 'Assessment already submitted',
    when: 'A submitted assessment changed or submitted again.',
  },
  'member-not-active': {
    status: 409,
    title: 'Member not active',
    when: 'An assessment for a suspended or withdrawn member.',
  },
  'computed-kpi-fixed': {
    status: 409,
    title: 'Computed KPI is fixed',
    when: 'A change to what a computed KPI counts (source, measure, cumulation, dimensions).',
  },
  'import-conflict': {
    status: 409,
    title: 'Import conflicts',
    when: 'No row of an import applied, each failing on a conflict; the summary is in the problem.',
  },
  'idempotency-in-progress': {
    status: 409,
    title: 'Idempotent request in progress',
    when: 'A repeat of an `Idempotency-Key` whose first request is still running (`Retry-After`).',
  },
  'idempotency-key-used': {
    status: 409,
    title: 'Idempotency key used',
    when: 'A repeat with other credentials than the first (a renewed token): read the record.',
  },
  'cursor-expired': {
    status: 410,
    title: 'Cursor expired',
    when: 'A feed cursor older than the retention: read the resources, then the feed from its start.',
  },
  'idempotent-response-personal-data-erased': {
    status: 410,
    title: 'Idempotent response erased',
    when: 'A repeat of an applied request whose answer held personal data since erased.',
  },
  'idempotent-response-too-large': {
    status: 410,
    title: 'Idempotent response not kept',
    when: 'A repeat of an applied request whose answer was too large to keep.',
  },
  'stale-version': {
    status: 412,
    title: 'Stale version',
    when: '`If-Match` names a version that is no longer the current one: read again.',
  },
  'body-too-large': {
    status: 413,
    title: 'Body too large',
    when: 'The request body is larger than the route accepts.',
  },
  'uri-too-long': {
    status: 414,
    title: 'URI too long',
    when: 'A path segment is longer than the router accepts.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    when: 'A body that is not `application/json` (or the type the route documents).',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency key reused',
    when: 'An `Idempotency-Key` sent again with another body.',
  },
  'import-rejected': {
    status: 422,
    title: 'Import rejected',
    when: 'No row of an import applied (not only conflicts); the summary is in the problem.',
  },
  'precondition-required': {
    status: 428,
    title: 'Precondition required',
    when: 'An update without `If-Match`, or a sync write over a version another caller wrote.',
  },
  'rate-limited': {
    status: 429,
    title: 'Rate limited',
    when: "The caller's requests in the window passed `RATE_LIMIT_MAX` (`Retry-After`).",
  },
  'too-many-failed-authentications': {
    status: 429,
    title: 'Too many failed authentications',
    when: 'Too many failed authentications from this address (`Retry-After`).',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    when: 'A fault of the service; `detail` gives the request id that was logged.',
  },
  'database-unavailable': {
    status: 503,
    title: 'Database unavailable',
    when: 'The database does not answer (`Retry-After`).',
  },
  overloaded: {
    status: 503,
    title: 'Overloaded',
    when: 'The event loop is saturated; the request was shed at once (`Retry-After`).',
  },
  busy: {
    status: 503,
    title: 'Busy',
    when: 'Too many reports or exports queued (`Retry-After`).',
  },
  'identity-provider-unavailable': {
    status: 503,
    title: 'Identity provider unavailable',
    when: "A person's token could not be checked: the identity provider does not answer.",
  },
} as const satisfies Record<string, { status: number; title: string; when: string }>;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export const problemTypeUri = (type: ProblemType) => `urn:jahiz:problem:${type}`;

/** The list as a Markdown table: in the contract's description and in docs/integrators.md. */
export function problemTypesTable(): string {
  const rows = Object.entries(PROBLEM_TYPES).map(
    ([type, { status, title, when }]) => `| \`${type}\` | ${status} | ${title} | ${when} |`,
  );
  return [
    '| type (`urn:jahiz:problem:…`) | status | title | when |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}
