/**
 * Loads `routing.json` from the rules directory: JSON parse, ajv validation against
 * ROUTING_FILE_SCHEMA, semantic checks, defaults filled in. A bad file is an InputError naming
 * the file and the JSON pointer. An absent file means the built-in defaults.
 *
 * The hooks use `currentRouting()`: it keeps the last good policy while an edit is broken, so
 * a typo in routing.json never stops a monitoring cycle (the error is logged).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { InputError, type Texts } from '../errors.js';
import { logger } from '../logger.js';
import { parseJsonText } from '../rules/json-source.js';
import { lintMessageText } from '../rules/lint-text.js';
import { DEFAULT_ROUTING, ROUTING_FILE_SCHEMA, type Route, type RoutingPolicy } from './routing.schema.js';

export const ROUTING_FILE_NAME = 'routing.json';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validate = ajv.compile(ROUTING_FILE_SCHEMA);

/** The routing file's path inside a rules directory (absolute). */
export function routingFilePath(rulesDir: string): string {
  return resolve(rulesDir, ROUTING_FILE_NAME);
}

/** Turns the file's parsed JSON into a policy. Throws InputError naming `file` and the pointer. */
export function parseRouting(value: unknown, file: string): RoutingPolicy {
  if (!validate(value)) {
    // For a failed anyOf (a recipient), its own message says more than the first alternative's.
    const error = validate.errors!.find((e) => e.keyword === 'anyOf') ?? validate.errors![0]!;
    const pointer = error.instancePath || '/';
    const message = describe(error);
    throw new InputError(
      { zh: `${file}：${pointer}：${message.zh}`, en: `${file}: ${pointer}: ${message.en}` },
      { file, pointer, message: message.en },
    );
  }
  const raw = value as Record<string, Record<string, unknown> | undefined> & { routes?: Array<Record<string, unknown>> };
  const section = <K extends 'countyDigest' | 'citySummary' | 'reminders' | 'escalation' | 'reports'>(key: K): RoutingPolicy[K] => {
    const { $comment: _ignored, ...given } = raw[key] ?? {};
    return { ...DEFAULT_ROUTING[key], ...given } as RoutingPolicy[K];
  };
  const names = new Set<string>();
  const routes: Route[] = (raw.routes ?? []).map((route, index) => {
    const name = route.name as string;
    if (names.has(name)) {
      const where = `${file}: /routes/${index}/name`;
      throw new InputError(
        { zh: `${where}：路由名称 "${name}" 重复`, en: `${where}: route name "${name}" is used twice` },
        {
          file,
          pointer: `/routes/${index}/name`,
        },
      );
    }
    names.add(name);
    return {
      name,
      enabled: (route.enabled as boolean | undefined) ?? true,
      mode: route.mode as Route['mode'],
      to: route.to as string[],
      match: (route.match as Route['match'] | undefined) ?? {},
    };
  });
  return {
    file,
    countyDigest: section('countyDigest'),
    citySummary: section('citySummary'),
    reminders: section('reminders'),
    escalation: section('escalation'),
    reports: section('reports'),
    routes,
  };
}

/** Reads the routing file of a rules directory; the defaults when there is none. Throws InputError on a bad file. */
export function loadRouting(rulesDir: string): RoutingPolicy {
  const file = routingFilePath(rulesDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: null, ...structuredClone(DEFAULT_ROUTING) };
    const reason = (error as Error).message;
    throw new InputError({ zh: `${file}：无法读取：${reason}`, en: `${file}: cannot read: ${reason}` }, { file, pointer: '' });
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { message } = parsed.error;
    throw new InputError({ zh: `${file}：${lintMessageText(message)}`, en: `${file}: ${message}` }, { file, pointer: '' });
  }
  return parseRouting(parsed.value, file);
}

interface CacheEntry {
  stamp: string;
  policy: RoutingPolicy;
}
const cache = new Map<string, CacheEntry>();

/**
 * The routing policy in force for a rules directory: re-read when the file changes. A broken
 * file is logged and the last good policy (or the defaults) stays in force. Never throws.
 */
export function currentRouting(rulesDir: string): RoutingPolicy {
  const file = routingFilePath(rulesDir);
  let stamp = 'absent';
  try {
    const stat = statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    // absent: the defaults
  }
  const cached = cache.get(file);
  if (cached && cached.stamp === stamp) return cached.policy;
  try {
    const policy = loadRouting(rulesDir);
    cache.set(file, { stamp, policy });
    return policy;
  } catch (error) {
    const fallback = cached?.policy ?? { file: null, ...structuredClone(DEFAULT_ROUTING) };
    logger().error({ err: (error as Error).message, file }, 'routing file is invalid; keeping the last good routing');
    // Remember the broken stamp so the error is logged once per edit, not per batch.
    cache.set(file, { stamp, policy: fallback });
    return fallback;
  }
}

/** Ajv's complaint in both languages (the rule linter's translations serve the common ones). */
function describe(error: ErrorObject): Texts {
  switch (error.keyword) {
    case 'anyOf':
      return { zh: '必须是 "county"、"escalation" 或电子邮件地址', en: 'must be "county", "escalation" or an e-mail address' };
    case 'required': {
      const property = (error.params as { missingProperty: string }).missingProperty;
      return { zh: `缺少属性 "${property}"`, en: `missing property "${property}"` };
    }
    default: {
      const en = ajvMessage(error);
      return { zh: lintMessageText(en), en };
    }
  }
}

function ajvMessage(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return error.message ?? 'is invalid';
  }
}
