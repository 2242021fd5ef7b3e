/** routing.json: validation with file and pointer, defaults, and who gets what. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRouting, parseRouting } from '../../src/notify/routing.loader.js';
import { digestRecipients, digestRouting, expandCityRecipients, immediateRecipients } from '../../src/notify/routing.policy.js';
import { DEFAULT_ROUTING } from '../../src/notify/routing.schema.js';

const dir = mkdtempSync(join(tmpdir(), 'iw-routing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const county = { emails: ['Office@Example.cn'], escalationEmails: ['city@example.cn'] };
const alert = { countyCode: '131022', severity: 'critical', cause: 'low_income', ruleId: 'below-monitoring-line' };

describe('routing.json', () => {
  it('falls back to the defaults when the file is absent', () => {
    expect(loadRouting(dir)).toEqual({ file: null, ...DEFAULT_ROUTING });
  });

  it('ships an example equal to the defaults (its one route is switched off)', () => {
    const example = parseRouting(JSON.parse(readFileSync('rules/routing.json', 'utf8')), 'routing.json');
    const { routes, file: _f, ...rest } = example;
    const { routes: _r, ...defaults } = DEFAULT_ROUTING;
    expect(rest).toEqual(defaults);
    expect(routes.map((r) => [r.name, r.enabled, r.mode])).toEqual([['critical-at-once', false, 'immediate']]);
  });

  it.each([
    ['{ "routes": [ { "name": "x", "mode": "later", "to": ["county"] } ] }', '/routes/0/mode: must be one of "digest", "immediate"'],
    [
      '{ "routes": [ { "name": "x", "mode": "digest", "to": ["not-an-address"] } ] }',
      '/routes/0/to/0: must be "county", "escalation" or an e-mail address',
    ],
    ['{ "reminders": { "daysBefore": -1 } }', '/reminders/daysBefore: must be >= 0'],
    ['{ "escalation": { "every": 3 } }', '/escalation: unknown property "every"'],
    [
      '{ "routes": [ { "name": "x", "mode": "digest", "to": ["county"], "match": { "cause": ["flood"] } } ] }',
      '/routes/0/match/cause/0: must be one of',
    ],
    [
      '{ "routes": [ { "name": "x", "mode": "digest", "to": ["county"] }, { "name": "x", "mode": "digest", "to": ["county"] } ] }',
      '/routes/1/name: route name "x" is used twice',
    ],
    ['{ "routes": [ }', 'invalid JSON at line 1'],
  ])('refuses %s naming the file and pointer', (text, message) => {
    writeFileSync(join(dir, 'routing.json'), text);
    expect(() => loadRouting(dir)).toThrow(`${join(dir, 'routing.json')}: ${message}`);
    rmSync(join(dir, 'routing.json'));
  });
});

describe('routing policy', () => {
  it('sends the digest to the county and the city summary to every escalation address, de-duplicated', () => {
    const policy = { file: null, ...DEFAULT_ROUTING };
    expect(digestRecipients(policy, alert, county)).toEqual(['office@example.cn']);
    expect(immediateRecipients(policy, alert, county)).toEqual([]);
    expect(
      expandCityRecipients(policy.citySummary.to, [county, { emails: [], escalationEmails: ['CITY@example.cn', 'b@example.cn'] }]),
    ).toEqual(['b@example.cn', 'city@example.cn']);
  });

  it('matches routes by county, severity, cause and rule (fields AND, values OR)', () => {
    const policy = parseRouting(
      {
        routes: [
          {
            name: 'now',
            mode: 'immediate',
            match: { severity: ['critical'], county: ['131022', '131023'] },
            to: ['escalation', 'duty@example.cn'],
          },
          { name: 'prices', mode: 'digest', match: { cause: ['price_slump'] }, to: ['market@example.cn'] },
          { name: 'off', enabled: false, mode: 'immediate', to: ['off@example.cn'] },
        ],
      },
      'routing.json',
    );
    expect(immediateRecipients(policy, alert, county)).toEqual(['city@example.cn', 'duty@example.cn']);
    expect(immediateRecipients(policy, { ...alert, severity: 'warning' }, county)).toEqual([]);
    expect(immediateRecipients(policy, { ...alert, countyCode: '131024' }, county)).toEqual([]);
    expect(digestRecipients(policy, { ...alert, cause: 'price_slump' }, county)).toEqual(['market@example.cn', 'office@example.cn']);
    expect(digestRecipients(policy, alert, county)).toEqual(['office@example.cn']);
  });

  it('routes a county digest by alert group: each address gets the groups routed to it', () => {
    const policy = parseRouting(
      { routes: [{ name: 'prices', mode: 'digest', match: { cause: ['price_slump'] }, to: ['market@example.cn'] }] },
      'routing.json',
    );
    const low = { ...alert, alerts: 3 };
    const price = { ...alert, severity: 'warning', cause: 'price_slump', ruleId: 'price-shock', alerts: 2 };
    const routed = digestRouting(policy, [low, price], county);
    expect([...routed.keys()]).toEqual(['market@example.cn', 'office@example.cn']);
    expect(routed.get('market@example.cn')).toEqual([price]);
    expect(routed.get('office@example.cn')).toEqual([low, price]);
    expect(digestRouting({ ...policy, countyDigest: { enabled: false, to: [] } }, [low], county).size).toBe(0);
  });
});
