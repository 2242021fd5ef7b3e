/**
 * Where the monitoring cycle hands over to notifications. Both hooks run INSIDE the
 * transaction that justifies them (the outbox pattern): whatever they write commits or rolls
 * back together with the alerts, tasks or cycle state. They never render digests or send mail
 * themselves; the notifier (`drainOutbox`, the `notify.drain` job) does that with what committed.
 *
 * The hooks are built per cycle context (src/cycle/monitoring.context.ts) with that context's
 * rules directory and public URL: routing comes from `<rulesDir>/routing.json` of the cycle
 * (the last good version while an edit is broken, the built-in defaults without the file), not
 * from the process's RULES_DIR.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { enqueueForCompletedCycle, enqueueForNewAlerts } from './outbox.service.js';
import { currentRouting } from './routing.loader.js';

/** The notification hooks a cycle calls (CycleDeps.notify). */
export interface NotifyHooks {
  /**
   * Called by a batch, in its transaction, with the alerts it created: marks alerts an active
   * silence covers (`silenced`) and writes immediate notifications (routes with `mode: immediate`).
   * One query (the silences in force) when there are no silences and no immediate routes.
   */
  onAlertsCreated(trx: Transaction<Database>, input: { cycleId: number; alertIds: number[] }): Promise<void>;
  /**
   * Called once when a cycle completes (or is cancelled), in the transaction that marks it so:
   * records the county digests and the city summary the cycle owes (`pending_digests`), in one
   * statement whose cost grows with the number of counties, not of alerts; the notifier renders
   * and sends them after commit. Idempotent (keyed `digest:<cycleId>:<county>`, `city-summary:<cycleId>`).
   */
  onCycleCompleted(trx: Transaction<Database>, input: { cycleId: number }): Promise<void>;
}

export interface NotifyHooksOptions {
  /** The rules directory whose `routing.json` routes the cycle's immediate notifications. */
  rulesDir: string;
  /** Base of the links in mails (PUBLIC_URL, no trailing slash). */
  publicUrl: string;
  /** The clock (silences in force, notification timestamps); default the system clock. */
  now?: () => Date;
}

/** The hooks of one cycle context. The routing file is re-read when it changes (currentRouting). */
export function createNotifyHooks(options: NotifyHooksOptions): NotifyHooks {
  const now = options.now ?? (() => new Date());
  return {
    async onAlertsCreated(trx, input) {
      await enqueueForNewAlerts(trx, input, { routing: currentRouting(options.rulesDir), publicUrl: options.publicUrl, now: now() });
    },
    async onCycleCompleted(trx, input) {
      await enqueueForCompletedCycle(trx, input, { now: now() });
    },
  };
}
