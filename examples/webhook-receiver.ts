/**
 * A partner system's webhook receiver (docs/events-and-webhooks.md): verifies each delivery's
 * signature with the `standardwebhooks` package, handles each event once although jahiz may
 * deliver it more than once, and answers 2xx quickly.
 *
 * Run: `JAHIZ_WEBHOOK_SECRET=whsec_… PORT=8090 npx tsx examples/webhook-receiver.ts`, behind
 * an https proxy whose public URL is the subscription's `url`.
 */
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';

/** The event a delivery carries: the feed's event (GET /v1/events). */
export interface DeliveredEvent {
  id: string;
  type: string;
  subject: { kind: string; id: string; externalRef?: string | null };
  data: Record<string, unknown>;
}

export interface ReceiverOptions {
  /** The subscription's secret, `whsec_…`; during a rotation, both the new and the old one. */
  secrets: readonly string[];
  /** Handles one event; an exception answers 500, so jahiz tries again later. */
  onEvent(event: DeliveredEvent): Promise<void> | void;
  /**
   * Whether an event id was handled already. Keep these in your own database in production:
   * jahiz retries until it sees a 2xx, so a delivery can arrive twice.
   */
  seen?: Set<string>;
}

/** The request handler: 204 once handled, 401 for a signature that does not verify. */
export function webhookReceiver(options: ReceiverOptions) {
  const verifiers = options.secrets.map((s) => new Webhook(s));
  const seen = options.seen ?? new Set<string>();
  return async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const body = await rawBody(request);
    const headers = request.headers as Record<string, string>;
    const event = verified(verifiers, body, headers);
    if (!event) return answer(response, 401);
    if (seen.has(event.id)) return answer(response, 204);
    try {
      await options.onEvent(event);
    } catch {
      return answer(response, 500);
    }
    seen.add(event.id);
    answer(response, 204);
  };
}

/** The event if one of the secrets signed exactly these bytes recently, else null. */
function verified(verifiers: readonly Webhook[], body: string, headers: Record<string, string>) {
  for (const verifier of verifiers) {
    try {
      return verifier.verify(body, headers) as DeliveredEvent;
    } catch {
      // Not this secret (or a stale or forged delivery): try the next one.
    }
  }
  return null;
}

/** The body as received: a signature covers the exact bytes, so never re-serialise JSON. */
async function rawBody(request: http.IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(response: http.ServerResponse, status: number) {
  response.statusCode = status;
  response.end();
}

function main() {
  const secret = process.env.JAHIZ_WEBHOOK_SECRET;
  if (!secret) {
    console.error('usage: JAHIZ_WEBHOOK_SECRET=whsec_… [PORT=8090] webhook-receiver.ts');
    process.exitCode = 2;
    return;
  }
  const handler = webhookReceiver({
    secrets: [secret],
    onEvent: (event) => console.log(JSON.stringify(event)),
  });
  http.createServer(handler).listen(Number(process.env.PORT ?? 8090));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
