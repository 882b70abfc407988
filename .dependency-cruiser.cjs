// The import boundaries of ARCHITECTURE.md ("One shape for every domain"), checked by `npm test`
// (test/architecture/boundaries.test.ts) and CI. A violation fails with the rule's name.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module reaches itself through its imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'engine-is-pure',
      comment: 'engine/ (models, rules, error codes, API interfaces) imports nothing outside engine/: no package, no Node built-in.',
      severity: 'error',
      from: { path: '^engine/' },
      to: { pathNot: '^engine/' },
    },
    {
      name: 'transports-not-root',
      comment: 'http/ and gateway/ never import app/ (the composition root and the services): what they call comes in as an engine/<domain>/api.ts interface.',
      severity: 'error',
      from: { path: '^(http|gateway)/' },
      to: { path: '^app/' },
    },
    {
      name: 'transports-use-ports-only',
      comment: 'http/ and gateway/ see storage only through its ports (types), never an adapter.',
      severity: 'error',
      from: { path: '^(http|gateway)/' },
      to: { path: '^storage/', pathNot: '/ports\\.ts$' },
    },
    {
      name: 'storage-below',
      comment: 'storage/ (ports and adapters) never imports app/, http/ or gateway/.',
      severity: 'error',
      from: { path: '^storage/' },
      to: { path: '^(app|http|gateway)/' },
    },
    {
      name: 'domains-through-api',
      comment: 'A domain in app/<d>/ never imports another domain\'s app/<e>/: it gets what it needs as engine/<e>/api.ts, wired by the composition root.',
      severity: 'error',
      from: { path: '^app/([^/]+)/' },
      to: { path: '^app/[^/]+/', pathNot: '^app/$1/' },
    },
    {
      name: 'services-use-ports',
      comment: 'A domain service reaches storage only through its ports, never an adapter (the wiring in app/<d>/index.ts picks adapters).',
      severity: 'error',
      from: { path: '^app/[^/]+/service\\.ts$' },
      to: { path: '^storage/', pathNot: '/ports\\.ts$' },
    },
    {
      name: 'client-is-standalone',
      comment: 'client/ (the SDK, bundled for browsers) takes only types from the server: gateway/protocol.ts and engine/.',
      severity: 'error',
      from: { path: '^client/', pathNot: '^client/gen/' },
      to: { path: '^(app|http|gateway|storage)/', pathNot: '^gateway/protocol\\.ts$' },
    },
    {
      name: 'web-is-browser',
      comment: 'web/app/ (the page) takes code only from itself, the SDK in client/ and packages; from the server, types only. No server module and no Node built-in reaches the browser.',
      severity: 'error',
      from: { path: '^web/app/' },
      to: { pathNot: '^(web/app|client)/|node_modules/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
