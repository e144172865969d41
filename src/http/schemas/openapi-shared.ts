import { isDeepStrictEqual } from 'node:util';

type Json = Record<string, unknown>;
interface Operation {
  parameters?: Json[];
  responses?: Record<string, Json>;
}

/**
 * Responses and header parameters that most operations repeat word for word are written once
 * under `components` and referenced from each operation: one definition for readers and client
 * generators instead of sixty copies. The route schemas keep them (Fastify serialises problems
 * with the 4XX/5XX schemas), so this is applied to the finished document
 * (@fastify/swagger's `transformObject`).
 */
const SHARED_RESPONSES: Record<string, string> = { '4XX': 'Refused', '5XX': 'Unavailable' };
/** By header name, with `?` when the header is optional. */
const SHARED_PARAMETERS: Record<string, string> = {
  'idempotency-key?': 'IdempotencyKey',
  'if-none-match?': 'IfNoneMatch',
  'if-match': 'IfMatch',
  'if-match?': 'IfMatchOptional',
};
const sharedParameterName = (parameter: Json) =>
  SHARED_PARAMETERS[`${parameter.name}${parameter.required ? '' : '?'}`];

/**
 * Names the first occurrence of each shared item and replaces every identical copy with a
 * `$ref` to it; a copy that differs (an operation's own wording) stays where it is.
 */
class Sharing {
  readonly named: Record<string, Json> = {};
  constructor(private readonly kind: 'responses' | 'parameters') {}

  refer(name: string | undefined, item: Json): Json {
    if (name === undefined) return item;
    this.named[name] ??= item;
    return isDeepStrictEqual(this.named[name], item)
      ? { $ref: `#/components/${this.kind}/${name}` }
      : item;
  }
}

/** The document with the shared responses and header parameters named and referenced. */
export function shareRepeatedParts<T extends { paths?: object; components?: object }>(
  document: T,
): T {
  const responses = new Sharing('responses');
  const parameters = new Sharing('parameters');
  for (const item of Object.values(document.paths ?? {}) as Record<string, Operation>[]) {
    for (const operation of Object.values(item)) {
      if (operation.responses)
        for (const [status, response] of Object.entries(operation.responses))
          operation.responses[status] = responses.refer(SHARED_RESPONSES[status], response);
      if (operation.parameters)
        operation.parameters = operation.parameters.map((parameter) =>
          parameter.in === 'header'
            ? parameters.refer(sharedParameterName(parameter), parameter)
            : parameter,
        );
    }
  }
  return {
    ...document,
    components: {
      ...document.components,
      responses: responses.named,
      parameters: parameters.named,
    },
  };
}
