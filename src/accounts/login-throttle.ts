/**
 * Login throttling, the pure part: after too many failed password attempts within a window
 * for one login name (or from one IP address), further attempts are refused for a while.
 * The attempts themselves are kept in PostgreSQL (login-attempt.repository.ts), so every web
 * process sees the same counts.
 */

export interface ThrottlePolicy {
  /** Failures for one login name that start a lock. Default 5. */
  maxPerName: number;
  /** Failures from one IP address (any names) that start a lock. Default 20. */
  maxPerIp: number;
  /** The failures must fall within this span. Default 15 minutes. */
  windowMs: number;
  /** How long attempts are refused, from the failure that reached the limit. Default 15 minutes. */
  lockMs: number;
}

export const LOGIN_THROTTLE: Readonly<ThrottlePolicy> = Object.freeze({
  maxPerName: 5,
  maxPerIp: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
});

/** How far back attempts matter: a lock may have started up to `lockMs` ago on failures `windowMs` older. */
export function lookbackMs(policy: ThrottlePolicy = LOGIN_THROTTLE): number {
  return policy.windowMs + policy.lockMs;
}

/**
 * Until when a lock holds, given the failures (any order) and the limit, or null when none
 * holds at `now`. A lock starts at the failure that makes `max` failures within the window and
 * lasts `lockMs` from then. Refused attempts are not failures, so a lock is not extended by
 * knocking on it, and once it ends the failures before it are out of the window. Pure.
 */
export function lockedUntil(failures: readonly Date[], max: number, now: Date, policy: ThrottlePolicy = LOGIN_THROTTLE): Date | null {
  const times = failures.map((d) => d.getTime()).sort((a, b) => a - b);
  let until = -Infinity;
  for (let j = max - 1; j < times.length; j++) {
    if (times[j]! - times[j - max + 1]! < policy.windowMs) until = Math.max(until, times[j]! + policy.lockMs);
  }
  return until > now.getTime() ? new Date(until) : null;
}

/** The later of the name's and the IP's lock, or null when attempts are allowed. */
export function throttleDecision(
  input: { byName: readonly Date[]; byIp: readonly Date[] },
  now: Date,
  policy: ThrottlePolicy = LOGIN_THROTTLE,
): Date | null {
  const name = lockedUntil(input.byName, policy.maxPerName, now, policy);
  const ip = lockedUntil(input.byIp, policy.maxPerIp, now, policy);
  if (!name) return ip;
  if (!ip) return name;
  return name > ip ? name : ip;
}
