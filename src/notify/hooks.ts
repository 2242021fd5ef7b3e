/**
 * Where the monitoring cycle hands over to notifications. Both hooks run INSIDE the
 * transaction that justifies them (the outbox pattern): whatever they write commits or rolls
 * back together with the alerts, tasks or cycle state. They never send mail themselves.
 *
 * Placeholder no-ops until the notifications module fills them in.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/** Called by a batch, in its transaction, with the alerts it created (immediate notifications). */
export async function onAlertsCreated(_trx: Transaction<Database>, _input: { cycleId: number; alertIds: number[] }): Promise<void> {}

/** Called once when a cycle completes, in the transaction that marks it completed (county digests, city summary). */
export async function onCycleCompleted(_trx: Transaction<Database>, _input: { cycleId: number }): Promise<void> {}
