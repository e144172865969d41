/**
 * Import rules checked by `npm run lint` (docs: dependency-cruiser's rules reference).
 * Type-only imports count too: a cycle of types still ties the two sides together.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Files of src/ import each other in a circle; move the shared piece out.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'http-not-to-modules',
      severity: 'error',
      comment:
        'src/http is shared by every module and must not depend on one; move the piece both ' +
        'need to src/http or src/db.',
      from: { path: '^src/http/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve would hide its edges from the rules above.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages that declare only `exports` (typebox, uuid, …) resolve as Node resolves them.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
