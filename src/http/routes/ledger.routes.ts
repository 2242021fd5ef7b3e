/**
 * Leads (线索) and assistance measures (帮扶措施): the pages `/leads` and `/measures` with their
 * entry forms, and the API `GET|POST /api/leads`, `GET|POST /api/measures`. County officers see
 * and enter their own county's records only (another county in the address is replaced by
 * theirs; another county's household answers "not found"); city monitors read all; admins all.
 *
 * Forms answer with a redirect (POST → redirect → GET); a refused entry comes back with the
 * reason and what was typed (src/http/flash.ts). The lead form carries a one-time key that
 * becomes the lead's id (`W-<key>`), so a double submit records one lead; a measure is
 * idempotent by its natural key.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { can, countyScope, effectiveCounty, type Principal } from '../../accounts/roles.js';
import { FieldInputError } from '../../cases/case-input.js';
import { countLeads, type LeadFilters, type LeadRecord, listLeads } from '../../cases/lead.repository.js';
import { addLead, type AddLeadResult } from '../../cases/lead.service.js';
import { countMeasures, listMeasures, type MeasureRecord } from '../../cases/measure.repository.js';
import { addMeasure } from '../../cases/measure.service.js';
import type { Db } from '../../db/database.js';
import { beijingDay } from '../../domain/beijing-time.js';
import { LEAD_CHANNELS, MEASURE_TYPES } from '../../domain/catalog.js';
import { ConflictError, errorText, NotFoundError } from '../../errors.js';
import { parseAmountFen } from '../../ingest/value-parsers.js';
import { currentUser, requireUser } from '../auth.plugin.js';
import { setFlash } from '../flash.js';
import { tr } from '../pages/i18n.js';
import { LEDGER_PAGE_SIZE, type LedgerQuery, leadsPage, measuresPage } from '../pages/ledger.page.js';
import { bearer, errorSchema, leadSchema, measureSchema, pageQuery, textQuery } from './api.schemas.js';
import { countyOptions, pageContext } from './page-context.js';
import { withSchemaTypes } from './type-provider.js';

const ledgerQuerySchema = {
  type: 'object',
  properties: { county: textQuery, kind: textQuery, from: textQuery, to: textQuery, q: textQuery, page: textQuery },
} as const;

const short = (max: number) => ({ type: 'string', maxLength: max }) as const;

const leadFormBody = {
  type: 'object',
  properties: {
    householdId: short(64),
    channel: short(40),
    reportedOn: short(20),
    causes: { type: 'array', items: short(40), maxItems: 20 },
    reporter: short(100),
    note: short(2000),
    key: short(64),
  },
} as const;

const measureFormBody = {
  type: 'object',
  properties: {
    householdId: short(64),
    type: short(40),
    date: short(20),
    amount: short(40),
    provider: short(100),
    note: short(2000),
  },
} as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: string | undefined) => (value && DAY.test(value) ? value : '');

/** The filter of a ledger page from its address; values that cannot be used are dropped. */
function ledgerQuery(
  raw: Partial<Record<'county' | 'kind' | 'from' | 'to' | 'q' | 'page', string>>,
  user: Principal,
  kinds: object,
): LedgerQuery {
  const page = Number(raw.page);
  return {
    county: effectiveCounty(user, /^\d{6}$/.test(raw.county ?? '') ? raw.county : undefined) ?? '',
    kind: raw.kind && Object.hasOwn(kinds, raw.kind) ? raw.kind : '',
    from: day(raw.from),
    to: day(raw.to),
    q: (raw.q ?? '').trim().slice(0, 64),
    page: Number.isSafeInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
  };
}

/** A form field as typed, or ''. */
const field = (value: unknown) => (typeof value === 'string' ? value : '');

/** Why an entry was refused, in the page's language; other errors are not the user's and propagate. */
function refusal(request: FastifyRequest, error: unknown, householdId: string): string | undefined {
  if (error instanceof NotFoundError) {
    return tr(request.lang, `户编码“${householdId}”不存在或不属于本县。`, `Household "${householdId}" is unknown or not in your county.`);
  }
  if (error instanceof FieldInputError || error instanceof ConflictError) return errorText(error, request.lang);
  return undefined;
}

function leadNotice(request: FastifyRequest, r: AddLeadResult): string {
  const id = r.lead.leadId;
  if (!r.created) return tr(request.lang, `该线索已登记过（${id}），未重复登记。`, `This lead was entered already (${id}); nothing added.`);
  if (r.step?.action === 'joined') {
    return tr(
      request.lang,
      `线索已登记，已并入该户未办结的任务 #${r.step.taskId}。`,
      `Lead entered; it joined the household's open task #${r.step.taskId}.`,
    );
  }
  return tr(
    request.lang,
    `线索已登记，已开启核实任务 #${r.lead.taskId ?? ''}（15 天内核实）。`,
    `Lead entered; follow-up task #${r.lead.taskId ?? ''} opened (verify within 15 days).`,
  );
}

/** Yuan typed or sent (`12,345.5`, `￥800`) as integer fen; blank → null. FieldInputError otherwise. */
function amountFen(value: string | number | undefined | null): number | null {
  if (value === undefined || value === null || String(value).trim() === '') return null;
  const r = parseAmountFen(String(value));
  if (!r.ok) throw new FieldInputError('amount', `金额“${String(value)}”无效：${r.texts.zh}`, `amount "${String(value)}": ${r.texts.en}`);
  return Number(r.value);
}

/** `leads list --json` fields (the API's lead). */
function leadOut(l: LeadRecord) {
  return { ...l, createdAt: l.createdAt.toISOString() };
}

/** `measures list --json` fields (the API's measure): amounts in yuan. */
function measureOut(m: MeasureRecord) {
  const { amountFen: fen, ...rest } = m;
  return { ...rest, amount: fen === null ? null : fen / 100, createdAt: m.createdAt.toISOString() };
}

async function ledgerFrame(db: Db, request: FastifyRequest, q: LedgerQuery, total: number) {
  const user = currentUser(request);
  const kept = request.flash?.kind === 'error' ? request.flash.fields : undefined;
  return {
    query: q,
    total,
    counties: countyScope(user) ? [] : await countyOptions(db, user),
    canWrite: can(user, 'tasks:write'),
    formKey: randomUUID().replaceAll('-', '').slice(0, 20),
    ...(kept ? { kept } : {}),
    today: beijingDay(new Date()),
  };
}

function sendHtml(reply: FastifyReply, body: string) {
  return reply.type('text/html; charset=utf-8').send(body);
}

export async function ledgerRoutes(fastify: FastifyInstance, options: { db: Db }): Promise<void> {
  const { db } = options;
  const app = withSchemaTypes(fastify);

  app.get(
    '/leads',
    { schema: { hide: true, querystring: ledgerQuerySchema }, preHandler: requireUser('tasks:read') },
    async (request, reply) => {
      const user = currentUser(request);
      const q = ledgerQuery(request.query, user, LEAD_CHANNELS);
      const filters: LeadFilters = {
        countyCode: q.county || undefined,
        channel: q.kind || undefined,
        from: q.from || undefined,
        to: q.to || undefined,
        householdId: q.q || undefined,
      };
      const [rows, total] = await Promise.all([
        listLeads(db, { ...filters, limit: LEDGER_PAGE_SIZE, offset: (q.page - 1) * LEDGER_PAGE_SIZE }),
        countLeads(db, filters),
      ]);
      const frame = await ledgerFrame(db, request, q, total);
      const title = tr(request.lang, countyScope(user) ? '本县线索' : '线索台账', countyScope(user) ? 'County leads' : 'Leads');
      return sendHtml(reply, leadsPage(pageContext(request), { ...frame, rows, title }));
    },
  );

  app.post('/leads', { schema: { hide: true, body: leadFormBody }, preHandler: requireUser('tasks:write') }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body;
    const key = field(body.key);
    try {
      const r = await addLead(db, {
        householdId: field(body.householdId),
        channel: field(body.channel),
        reportedOn: field(body.reportedOn),
        causes: body.causes ?? [],
        reporter: field(body.reporter),
        note: field(body.note),
        ...(/^[A-Za-z0-9-]{8,64}$/.test(key) ? { leadId: `W-${key}` } : {}),
        actor: user.name,
        countyCode: countyScope(user),
      });
      if (request.sessionId) await setFlash(db, request.sessionId, { path: '/leads', kind: 'notice', message: leadNotice(request, r) });
    } catch (error) {
      const message = refusal(request, error, field(body.householdId));
      if (message === undefined || !request.sessionId) throw error;
      const fields = {
        householdId: field(body.householdId),
        channel: field(body.channel),
        reportedOn: field(body.reportedOn),
        causes: (body.causes ?? []).join(','),
        reporter: field(body.reporter),
        note: field(body.note),
        key,
      };
      await setFlash(db, request.sessionId, { path: '/leads', kind: 'error', message, fields });
    }
    return reply.redirect('/leads', 303);
  });

  app.get(
    '/measures',
    { schema: { hide: true, querystring: ledgerQuerySchema }, preHandler: requireUser('tasks:read') },
    async (request, reply) => {
      const user = currentUser(request);
      const q = ledgerQuery(request.query, user, MEASURE_TYPES);
      const filters = {
        countyCode: q.county || undefined,
        type: q.kind || undefined,
        from: q.from || undefined,
        to: q.to || undefined,
        householdId: q.q || undefined,
      };
      const [rows, total] = await Promise.all([
        listMeasures(db, { ...filters, limit: LEDGER_PAGE_SIZE, offset: (q.page - 1) * LEDGER_PAGE_SIZE }),
        countMeasures(db, filters),
      ]);
      const frame = await ledgerFrame(db, request, q, total);
      const title = tr(
        request.lang,
        countyScope(user) ? '本县帮扶措施' : '帮扶措施台账',
        countyScope(user) ? 'County assistance measures' : 'Assistance measures',
      );
      return sendHtml(reply, measuresPage(pageContext(request), { ...frame, rows, title }));
    },
  );

  app.post(
    '/measures',
    { schema: { hide: true, body: measureFormBody }, preHandler: requireUser('tasks:write') },
    async (request, reply) => {
      const user = currentUser(request);
      const body = request.body;
      try {
        const r = await addMeasure(db, {
          householdId: field(body.householdId),
          type: field(body.type),
          date: field(body.date),
          amountFen: amountFen(field(body.amount)),
          provider: field(body.provider),
          note: field(body.note),
          actor: user.name,
          countyCode: countyScope(user),
        });
        const message = r.created
          ? tr(request.lang, `帮扶措施已登记（#${r.measure.id}）。`, `Assistance measure entered (#${r.measure.id}).`)
          : tr(
              request.lang,
              `该帮扶措施已登记过（#${r.measure.id}），未重复登记。`,
              `This measure was entered already (#${r.measure.id}); nothing added.`,
            );
        if (request.sessionId) await setFlash(db, request.sessionId, { path: '/measures', kind: 'notice', message });
      } catch (error) {
        const message = refusal(request, error, field(body.householdId));
        if (message === undefined || !request.sessionId) throw error;
        const fields = Object.fromEntries(
          ['householdId', 'type', 'date', 'amount', 'provider', 'note'].map((k) => [k, field((body as Record<string, unknown>)[k])]),
        );
        await setFlash(db, request.sessionId, { path: '/measures', kind: 'error', message, fields });
      }
      return reply.redirect('/measures', 303);
    },
  );

  const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
  const listQuery = {
    county: { type: 'string', pattern: '^[0-9]{6}$' },
    household: textQuery,
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    ...pageQuery,
  } as const;

  app.get(
    '/api/leads',
    {
      schema: {
        tags: ['leads'],
        summary: 'Leads (线索), newest report first (county officers: their county only)',
        security: bearer,
        querystring: { type: 'object', properties: { ...listQuery, channel: { type: 'string', enum: Object.keys(LEAD_CHANNELS) } } },
        response: { 200: { type: 'array', items: leadSchema }, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => {
      const q = request.query;
      const rows = await listLeads(db, {
        countyCode: effectiveCounty(currentUser(request), q.county),
        channel: q.channel,
        householdId: q.household,
        from: q.from,
        to: q.to,
        limit: q.limit,
        offset: q.offset,
      });
      return rows.map(leadOut);
    },
  );

  app.post(
    '/api/leads',
    {
      schema: {
        tags: ['leads'],
        summary:
          'Record a lead; it opens the household’s follow-up task (due 15 days after the report) or joins the one not closed. Idempotent by leadId (default: derived from household, channel, date and causes).',
        security: bearer,
        body: {
          type: 'object',
          required: ['householdId', 'channel', 'reportedOn', 'causes'],
          properties: {
            leadId: short(64),
            householdId: short(64),
            channel: { type: 'string', enum: Object.keys(LEAD_CHANNELS) },
            reportedOn: { type: 'string', format: 'date' },
            causes: { type: 'array', items: short(40), minItems: 1, maxItems: 20 },
            reporter: { type: ['string', 'null'], maxLength: 100 },
            note: { type: ['string', 'null'], maxLength: 2000 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              lead: leadSchema,
              created: { type: 'boolean', description: 'false when this lead id was stored already (nothing added)' },
              taskAction: { type: ['string', 'null'], enum: ['opened', 'joined', null] },
            },
          },
          409: errorSchema,
          ...errors,
        },
      },
      preHandler: requireUser('tasks:write'),
    },
    async (request) => {
      const user = currentUser(request);
      const b = request.body;
      const r = await addLead(db, { ...b, actor: user.name, countyCode: countyScope(user) });
      return { lead: leadOut(r.lead), created: r.created, taskAction: r.step?.action ?? null };
    },
  );

  app.get(
    '/api/measures',
    {
      schema: {
        tags: ['measures'],
        summary: 'Assistance measures (帮扶措施), newest first; amounts in yuan (county officers: their county only)',
        security: bearer,
        querystring: { type: 'object', properties: { ...listQuery, type: { type: 'string', enum: Object.keys(MEASURE_TYPES) } } },
        response: { 200: { type: 'array', items: measureSchema }, ...errors },
      },
      preHandler: requireUser('tasks:read'),
    },
    async (request) => {
      const q = request.query;
      const rows = await listMeasures(db, {
        countyCode: effectiveCounty(currentUser(request), q.county),
        type: q.type,
        householdId: q.household,
        from: q.from,
        to: q.to,
        limit: q.limit,
        offset: q.offset,
      });
      return rows.map(measureOut);
    },
  );

  app.post(
    '/api/measures',
    {
      schema: {
        tags: ['measures'],
        summary:
          'Record an assistance measure for a household (county officers: of their county). Idempotent by household, type, date, amount and provider.',
        security: bearer,
        body: {
          type: 'object',
          required: ['householdId', 'type', 'date'],
          properties: {
            householdId: short(64),
            type: { type: 'string', enum: Object.keys(MEASURE_TYPES) },
            date: { type: 'string', format: 'date' },
            amount: {
              anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }],
              description: 'Yuan, at most 2 decimals; null or absent where none applies',
            },
            provider: { type: ['string', 'null'], maxLength: 100 },
            note: { type: ['string', 'null'], maxLength: 2000 },
          },
        },
        response: {
          200: { type: 'object', properties: { measure: measureSchema, created: { type: 'boolean' } } },
          ...errors,
        },
      },
      preHandler: requireUser('tasks:write'),
    },
    async (request) => {
      const user = currentUser(request);
      const b = request.body;
      const r = await addMeasure(db, {
        householdId: b.householdId,
        type: b.type,
        date: b.date,
        amountFen: amountFen(b.amount),
        provider: b.provider ?? null,
        note: b.note ?? null,
        actor: user.name,
        countyCode: countyScope(user),
      });
      return { measure: measureOut(r.measure), created: r.created };
    },
  );
}
