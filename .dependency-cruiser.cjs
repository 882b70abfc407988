/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    { name: 'engine-is-pure', severity: 'error', from: { path: '^engine/' }, to: { pathNot: '^engine/' } },
    { name: 'transports-not-root', severity: 'error', from: { path: '^(http|gateway)/' }, to: { path: '^app/' } },
    { name: 'storage-below', severity: 'error', from: { path: '^storage/' }, to: { path: '^(app|http|gateway)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};
