/**
 * Where the monitoring cycle hands over to notifications. Both hooks run INSIDE the
 * transaction that justifies them (the outbox pattern): whatever they write commits or rolls
 * back together with the alerts, tasks or cycle state. They never render digests or send mail
 * themselves; the notifier (`drainOutbox`, the `notify.drain` job) does that with what committed.
 *
 * Routing comes from `<RULES_DIR>/routing.json` (the last good version while an edit is broken,
 * the built-in defaults without the file); links use PUBLIC_URL.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { contextFromConfig, enqueueForCompletedCycle, enqueueForNewAlerts } from './outbox.service.js';

/**
 * Called by a batch, in its transaction, with the alerts it created: marks alerts an active
 * silence covers (`silenced`) and writes immediate notifications (routes with `mode: immediate`).
 * One query (the silences in force) when there are no silences and no immediate routes.
 */
export async function onAlertsCreated(trx: Transaction<Database>, input: { cycleId: number; alertIds: number[] }): Promise<void> {
  await enqueueForNewAlerts(trx, input, contextFromConfig());
}

/**
 * Called once when a cycle completes, in the transaction that marks it completed: records the
 * county digests and the city summary the cycle owes (`pending_digests`), in one statement whose
 * cost grows with the number of counties, not of alerts; the notifier renders and sends them
 * after commit. Idempotent (keyed `digest:<cycleId>:<county>`, `city-summary:<cycleId>`).
 */
export async function onCycleCompleted(trx: Transaction<Database>, input: { cycleId: number }): Promise<void> {
  await enqueueForCompletedCycle(trx, input, { now: new Date() });
}
