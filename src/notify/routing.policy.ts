/**
 * Who gets what, decided from the routing policy. Pure functions: no database, no mail.
 */
import type { RecipientSpec, Route, RouteMatch, RoutingPolicy } from './routing.schema.js';

/** What routing needs to know about an alert. */
export interface RoutableAlert {
  countyCode: string;
  severity: string;
  cause: string;
  ruleId: string;
}

/** A county's addresses (counties table). */
export interface CountyAddresses {
  emails: readonly string[];
  escalationEmails: readonly string[];
}

/** Lower-cased, trimmed, de-duplicated, sorted addresses (sorted: deterministic row order). */
export function normalizeAddresses(addresses: Iterable<string>): string[] {
  const set = new Set<string>();
  for (const a of addresses) {
    const v = a.trim().toLowerCase();
    if (v) set.add(v);
  }
  return [...set].sort();
}

/**
 * Expands recipient specs for one county: `county` → its emails, `escalation` → its
 * escalation emails, addresses as given.
 */
export function expandRecipients(specs: readonly RecipientSpec[], county: CountyAddresses): string[] {
  const out: string[] = [];
  for (const spec of specs) {
    if (spec === 'county') out.push(...county.emails);
    else if (spec === 'escalation') out.push(...county.escalationEmails);
    else out.push(spec);
  }
  return normalizeAddresses(out);
}

/** City-wide recipients: `escalation` (and `county`) expand over every county. */
export function expandCityRecipients(specs: readonly RecipientSpec[], counties: readonly CountyAddresses[]): string[] {
  const out: string[] = [];
  for (const county of counties)
    out.push(
      ...expandRecipients(
        specs.filter((s) => s === 'county' || s === 'escalation'),
        county,
      ),
    );
  out.push(...specs.filter((s) => s !== 'county' && s !== 'escalation'));
  return normalizeAddresses(out);
}

/** Whether an alert falls under a route's `match` (fields AND, values OR; empty matches all). */
export function routeMatches(match: RouteMatch, alert: RoutableAlert): boolean {
  if (match.county && !match.county.includes(alert.countyCode)) return false;
  if (match.severity && !(match.severity as string[]).includes(alert.severity)) return false;
  if (match.cause && !(match.cause as string[]).includes(alert.cause)) return false;
  if (match.rule && !match.rule.includes(alert.ruleId)) return false;
  return true;
}

function enabledRoutes(policy: RoutingPolicy, mode: Route['mode']): Route[] {
  return policy.routes.filter((r) => r.enabled && r.mode === mode);
}

/** Addresses that receive this alert in their county digest. */
export function digestRecipients(policy: RoutingPolicy, alert: RoutableAlert, county: CountyAddresses): string[] {
  const specs: RecipientSpec[] = policy.countyDigest.enabled ? [...policy.countyDigest.to] : [];
  for (const route of enabledRoutes(policy, 'digest')) if (routeMatches(route.match, alert)) specs.push(...route.to);
  return expandRecipients(specs, county);
}

/**
 * A county digest's recipients: for each address, the alert groups routed to it (groups are
 * alerts alike in what routes match on: county, severity, cause, rule). Addresses sorted.
 */
export function digestRouting<G extends RoutableAlert>(
  policy: RoutingPolicy,
  groups: readonly G[],
  county: CountyAddresses,
): Map<string, G[]> {
  const byRecipient = new Map<string, G[]>();
  for (const group of groups) {
    for (const recipient of digestRecipients(policy, group, county)) {
      const list = byRecipient.get(recipient);
      if (list) list.push(group);
      else byRecipient.set(recipient, [group]);
    }
  }
  return new Map([...byRecipient.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Addresses that get this alert at once, in an e-mail of its own. */
export function immediateRecipients(policy: RoutingPolicy, alert: RoutableAlert, county: CountyAddresses): string[] {
  const specs: RecipientSpec[] = [];
  for (const route of enabledRoutes(policy, 'immediate')) if (routeMatches(route.match, alert)) specs.push(...route.to);
  return expandRecipients(specs, county);
}

/** Whether any route sends alerts immediately (lets the batch hook skip its queries). */
export function hasImmediateRoutes(policy: RoutingPolicy): boolean {
  return enabledRoutes(policy, 'immediate').length > 0;
}
