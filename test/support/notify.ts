/**
 * What the notify tests pass where production passes the configuration: the hooks of a cycle
 * context, the notify context and the drain settings, with the defaults of an empty
 * environment (PUBLIC_URL, MAIL_FROM, the repository's rules directory). Tests that need other
 * values build their own with createNotifyHooks / these functions' arguments — never through the environment.
 */
import type { NotifyContext } from '../../src/notify/outbox.service.js';
import { createNotifyHooks } from '../../src/notify/hooks.js';
import type { DrainDeps } from '../../src/notify/notifier.service.js';
import { currentRouting } from '../../src/notify/routing.loader.js';

export const TEST_PUBLIC_URL = 'http://127.0.0.1:3000';
export const TEST_MAIL_FROM = 'income-watch@localhost';
export const TEST_RULES_DIR = 'rules';

/** The hooks a cycle context over the repository's rules directory would call. */
export const { onAlertsCreated, onCycleCompleted } = createNotifyHooks({ rulesDir: TEST_RULES_DIR, publicUrl: TEST_PUBLIC_URL });

/** The context of the outbox decisions (routing of `rulesDir`, links to `publicUrl`) at `now`. */
export function notifyContext(now: Date = new Date(), options: { rulesDir?: string; publicUrl?: string } = {}): NotifyContext {
  return { routing: currentRouting(options.rulesDir ?? TEST_RULES_DIR), publicUrl: options.publicUrl ?? TEST_PUBLIC_URL, now };
}

/** The settings of drainOutbox besides the database and the transport. */
export function drainSettings(
  options: { rulesDir?: string; publicUrl?: string; from?: string } = {},
): Pick<DrainDeps, 'from' | 'publicUrl' | 'routing'> {
  return {
    from: options.from ?? TEST_MAIL_FROM,
    publicUrl: options.publicUrl ?? TEST_PUBLIC_URL,
    routing: currentRouting(options.rulesDir ?? TEST_RULES_DIR),
  };
}
