/**
 * The module boundaries of income-watch (docs/architecture.md says the same in words).
 * `npm run lint` fails on any violation; test/unit/lint-boundaries.test.ts shows that each
 * rule refuses a file that breaks it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'A circular import is a bug: modules form a DAG along the data flow.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'rules-are-pure',
      comment: 'src/rules evaluates rules: no database, queue, mail or HTTP code.',
      severity: 'error',
      from: { path: '^src/rules/' },
      to: {
        path: [
          '^src/(db|jobs|notify|http|cycle|cases|views|cli|ingest|accounts)/',
          '^workers/',
          '(^|/)node_modules/(pg|kysely|bullmq|ioredis|nodemailer|fastify|@fastify/[^/]+)/',
        ],
      },
    },
    {
      name: 'src-does-not-import-workers',
      comment: 'workers/ holds entry points; nothing under src/ depends on them.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^workers/' },
    },
    {
      name: 'ingest-knows-no-consumers',
      comment: 'Import knows nothing of monitoring, notification or HTTP.',
      severity: 'error',
      from: { path: '^src/ingest/' },
      to: { path: ['^src/(cycle|cases|views|notify|http|cli|jobs)/', '^workers/'] },
    },
    {
      name: 'cases-know-no-cycle',
      comment: 'Alerts, tasks and audit are the cases: they know nothing of cycles, queues, notification, read models or faces.',
      severity: 'error',
      from: { path: '^src/cases/' },
      to: { path: '^src/(cycle|views|notify|jobs|http|cli)/' },
    },
    {
      name: 'cycle-reads-no-views',
      comment: 'Read models (src/views) serve pages; the cycle works on its own repositories.',
      severity: 'error',
      from: { path: '^src/cycle/' },
      to: { path: '^src/(views|http|cli)/' },
    },
    {
      name: 'notify-knows-no-faces',
      comment: 'Notification renders and delivers what the database holds; it never reaches into cycles, cases, pages or the CLI.',
      severity: 'error',
      from: { path: '^src/notify/' },
      to: { path: '^src/(cycle|cases|views|http|cli)/' },
    },
    {
      name: 'leaves-stay-leaves',
      comment: 'src/domain (enumerations, periods) and src/lib (small helpers) depend on no other module of src/.',
      severity: 'error',
      from: { path: '^src/(domain|lib)/' },
      to: { path: '^src/(?!domain/|lib/|errors[.]ts$)' },
    },
    {
      name: 'faces-use-repositories',
      comment: 'HTTP and CLI reach the database only through repositories and services: no SQL builder, driver or table types.',
      severity: 'error',
      from: { path: '^src/(http|cli)/' },
      to: { path: ['(^|/)node_modules/(pg|kysely)/', '^src/db/tables/'] },
    },
    {
      name: 'sql-in-repositories',
      comment:
        'SQL lives in repositories (and the db module): other modules may use kysely for types only. The service probe opens a bare connection (no SQL).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['[.]repository[.]ts$', '^src/db/', '^src/lib/service-probe[.]ts$'] },
      to: { path: '(^|/)node_modules/(pg|kysely)/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mjs', '.js', '.json'],
    },
  },
};
