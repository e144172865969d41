import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { EventRow } from '../events/repository.js';
import { toEvent } from '../events/representation.js';
import { liveSecrets } from './repository.js';
import { MAX_ATTEMPTS, retryDelayMs } from './schedule.js';
import { type Outcome, send } from './sender.js';
import { signatureHeader } from './signature.js';

type WebhookConfig = Config['webhooks'];

interface Claimed {
  id: string;
  subscriptionId: string;
  eventId: string;
  attempt: number;
  url: string;
}

/** Longer than any attempt can take: a row still `sending` after it was left by a stopped sender. */
const leaseMs = (config: WebhookConfig) => config.timeoutMs + 30_000;

/**
 * Takes up to `limit` due attempts for this instance, in one short transaction: FOR UPDATE
 * SKIP LOCKED, then marked `sending` with a lease, so another instance can neither take the same
 * row meanwhile nor after (it no longer matches `pending`). The HTTP exchange happens outside
 * any transaction: embedded mode has one connection, and no row lock waits on a receiver.
 * Attempts left `sending` by an instance that stopped mid-way are closed as interrupted and
 * followed by the next attempt (each attempt is sent at most once).
 */
async function claim(db: Db, limit: number, config: WebhookConfig): Promise<Claimed[]> {
  return db.transaction().execute(async (trx) => {
    await sql`
      with stale as (
        update webhook_deliveries set state = 'failed', finished_at = now(), lease_until = null,
          error = 'interrupted: the sending instance stopped during the attempt',
          next_attempt_at = case when attempt < ${MAX_ATTEMPTS} then now() end
        where id in (select id from webhook_deliveries
          where state = 'sending' and lease_until < now() for update skip locked)
        returning subscription_id, event_id, attempt
      )
      insert into webhook_deliveries (id, subscription_id, event_id, attempt, state)
      select gen_random_uuid(), subscription_id, event_id, attempt + 1, 'pending'
      from stale where attempt < ${MAX_ATTEMPTS}`.execute(trx);
    const claimed = await sql<Claimed>`
      update webhook_deliveries d
      set state = 'sending', started_at = now(),
        lease_until = now() + make_interval(secs => ${leaseMs(config) / 1000}::double precision)
      from webhook_subscriptions s
      where s.id = d.subscription_id and d.id in (
        select d2.id from webhook_deliveries d2
        join webhook_subscriptions s2 on s2.id = d2.subscription_id and s2.status = 'active'
        where d2.state = 'pending' and d2.due_at <= now()
        order by d2.due_at limit ${limit}
        for update of d2 skip locked)
      returning d.id, d.subscription_id, d.event_id, d.attempt, s.url`.execute(trx);
    return claimed.rows;
  });
}

/** The signed message of an attempt: the event JSON and the Standard Webhooks headers. */
async function messageOf(db: Db, delivery: Claimed) {
  const row = await sql<EventRow>`
    select id, type, occurred_at, partner_code, subject_kind, subject_id, subject_external_ref, data
    from events where id = ${delivery.eventId}`.execute(db);
  const event = row.rows[0];
  if (!event) return undefined;
  const body = JSON.stringify(toEvent(event));
  const timestamp = Math.floor(Date.now() / 1000);
  const secrets = await liveSecrets(db, delivery.subscriptionId);
  return {
    url: delivery.url,
    body,
    headers: {
      'webhook-id': event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secrets, event.id, timestamp, body),
    },
  };
}

/**
 * Records an attempt's outcome: 2xx delivered; 410 disables the subscription; anything else
 * schedules the next attempt (back-off with jitter) until MAX_ATTEMPTS.
 */
async function record(db: Db, delivery: Claimed, outcome: Outcome, config: WebhookConfig) {
  const delivered =
    outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const gone = outcome.statusCode === 410;
  const retry = !delivered && !gone && delivery.attempt < MAX_ATTEMPTS;
  const delay = retry ? retryDelayMs(delivery.attempt + 1, config.retryBaseMs) : 0;
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('webhookDeliveries')
      .set({
        state: delivered ? 'succeeded' : 'failed',
        finishedAt: sql<string>`now()`,
        leaseUntil: null,
        statusCode: outcome.statusCode,
        error: outcome.error,
        durationMs: outcome.durationMs,
        nextAttemptAt: retry
          ? sql<string>`now() + make_interval(secs => ${delay / 1000}::double precision)`
          : null,
      })
      .where('id', '=', delivery.id)
      .where('state', '=', 'sending')
      .returning(['nextAttemptAt'])
      .executeTakeFirst();
    if (!updated) return; // closed as interrupted meanwhile: that path scheduled what follows
    if (retry) {
      await sql`insert into webhook_deliveries (id, subscription_id, event_id, attempt, state, due_at)
        values (gen_random_uuid(), ${delivery.subscriptionId}, ${delivery.eventId},
          ${delivery.attempt + 1}, 'pending', ${updated.nextAttemptAt})`.execute(trx);
    }
    if (gone) {
      await trx
        .updateTable('webhookSubscriptions')
        .set({
          status: 'disabled',
          disabledReason: 'the receiver answered 410 Gone',
          version: sql<number>`version + 1`,
          updatedAt: sql<string>`now()`,
        })
        .where('id', '=', delivery.subscriptionId)
        .execute();
    }
  });
}

async function deliver(db: Db, delivery: Claimed, config: WebhookConfig) {
  const message = await messageOf(db, delivery);
  const outcome: Outcome = message
    ? await send(message, { allowInsecure: config.allowInsecureUrls }, config.timeoutMs)
    : { statusCode: null, error: 'the event was purged', durationMs: 0 };
  await record(db, delivery, outcome, config);
}

/** One round: claims the due attempts (up to the concurrency) and sends them. Returns how many. */
export async function deliverDue(db: Db, config: WebhookConfig): Promise<number> {
  const claimed = await claim(db, config.concurrency, config);
  await Promise.all(claimed.map((d) => deliver(db, d, config)));
  return claimed.length;
}

/** Delivers in rounds while started; idles `pollMs` when nothing is due. */
class DeliveryWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly db: Db,
    private readonly config: WebhookConfig,
    private readonly log: FastifyBaseLogger,
  ) {}

  start() {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking attempts and waits for those in flight (each bounded by the timeout). */
  async stop() {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run() {
    while (this.running) {
      let sent = 0;
      try {
        sent = await deliverDue(this.db, this.config);
      } catch (error) {
        this.log.warn({ err: error }, 'webhook delivery round failed');
      }
      if (sent === 0 && this.running) await this.idle();
    }
  }

  private idle() {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.config.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/** Runs the delivery worker while the service listens (when WEBHOOK_WORKER is on). */
export function registerWebhookWorker(app: FastifyInstance) {
  if (!app.config.webhooks.worker) return;
  const worker = new DeliveryWorker(app.db, app.config.webhooks, app.log);
  app.addHook('onListen', async () => worker.start());
  app.addHook('onClose', async () => worker.stop());
}
