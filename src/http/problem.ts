import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { responseComponent } from './components.js';

/** One invalid input: a JSON pointer into the body, or a query/path/header parameter name. */
export interface FieldError {
  pointer?: string;
  parameter?: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  /** Short slug naming the problem type; becomes `urn:jahiz:problem:<slug>`. */
  slug?: string;
  title?: string;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Further members of the problem object, e.g. `existingMemberId`. */
  extensions?: Record<string, unknown>;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function statusTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/** An error that is answered as an RFC 9457 problem document. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string | undefined;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.status = init.status;
    this.slug = init.slug;
    this.title = init.title ?? statusTitle(init.status);
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  toJSON() {
    return {
      type: this.slug ? `urn:jahiz:problem:${this.slug}` : 'about:blank',
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem({ status: 400, slug: 'validation', detail, ...(errors ? { errors } : {}) });

export const notFound = (detail: string) =>
  new HttpProblem({ status: 404, slug: 'not-found', detail });

export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem({ status: 409, slug: 'conflict', detail, ...(extensions ? { extensions } : {}) });

export const forbidden = (detail: string) =>
  new HttpProblem({ status: 403, slug: 'forbidden', detail });

/** Throws one 400 listing every error, when there is any. */
export function assertNoErrors(errors: FieldError[], detail = 'The request is invalid.'): void {
  if (errors.length > 0) throw badRequest(detail, errors);
}

export function sendProblem(reply: FastifyReply, problem: HttpProblem) {
  for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  return reply.status(problem.status).type('application/problem+json').send(problem.toJSON());
}

/** The problem document as a response schema, shared by every route's error responses. */
export const ProblemSchema = responseComponent(
  'Problem',
  Type.Object(
    {
      type: Type.String(),
      title: Type.String(),
      status: Type.Integer(),
      detail: Type.String(),
      errors: Type.Optional(
        Type.Array(
          Type.Object({
            pointer: Type.Optional(Type.String()),
            parameter: Type.Optional(Type.String()),
            message: Type.String(),
          }),
        ),
      ),
    },
    { additionalProperties: true, description: 'RFC 9457 problem details' },
  ),
);
