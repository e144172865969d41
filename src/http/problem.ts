import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { responseComponent } from './schemas/components.js';
import { PROBLEM_TYPES, type ProblemType, problemTypeUri } from './schemas/problem-types.js';

/** One invalid input: a JSON pointer into the body, or a query/path/header parameter name. */
export interface FieldError {
  pointer?: string;
  parameter?: string;
  message: string;
}

export interface ProblemInit {
  /** One of PROBLEM_TYPES, which gives the status and title. */
  type: ProblemType;
  detail: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Further members of the problem object, e.g. `existingMemberId`. */
  extensions?: Record<string, unknown>;
}

/** An error that is answered as an RFC 9457 problem document. */
export class HttpProblem extends Error {
  readonly type: ProblemType;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.type = init.type;
    this.status = PROBLEM_TYPES[init.type].status;
    this.errors = init.errors;
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  toJSON() {
    return {
      type: problemTypeUri(this.type),
      title: PROBLEM_TYPES[this.type].title,
      status: this.status,
      detail: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem({ type: 'validation', detail, ...(errors ? { errors } : {}) });

export const notFound = (detail: string) => new HttpProblem({ type: 'not-found', detail });

export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new HttpProblem({ type: 'conflict', detail, ...(extensions ? { extensions } : {}) });

export const forbidden = (detail: string) => new HttpProblem({ type: 'forbidden', detail });

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
