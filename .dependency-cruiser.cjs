/**
 * The architecture's layer rules (docs/architecture.md §Layers), checked by `pnpm deps:check`:
 *
 *   apps → @wmkit/figures → @wmkit/papers → ei-rnn | delay-snn | attractor-models → tasks | analysis | core-neuron | data-io → tensor
 *
 * @wmkit imports resolve to the packages' sources (tsconfig.depcruise.json), so the check needs no build.
 * scripts/deps-rules.test.mjs plants a violation of each rule and asserts that the check fails.
 */
const models = '(ei-rnn|delay-snn|attractor-models)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'tensor-imports-no-wmkit-package',
      comment: '@wmkit/tensor is the bottom layer: it imports no other wmkit package.',
      severity: 'error',
      from: { path: '^packages/tensor/' },
      to: { path: '^(packages|apps)/', pathNot: '^packages/tensor/' },
    },
    {
      name: 'models-do-not-import-each-other',
      comment: 'ei-rnn, delay-snn and attractor-models are independent; what two of them share belongs in a lower layer.',
      severity: 'error',
      from: { path: `^packages/${models}/` },
      to: { path: `^packages/${models}/`, pathNot: '^packages/$1/' },
    },
    {
      name: 'base-layer-imports-no-model',
      comment: 'tasks, analysis, core-neuron and data-io work on plain arrays and primitives: no model package.',
      severity: 'error',
      from: { path: '^packages/(analysis|tasks|data-io|core-neuron)/' },
      to: { path: `^packages/${models}/` },
    },
    {
      name: 'packages-import-no-app',
      comment: 'Packages never import an app (the CLI or the viewer).',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^apps/' },
    },
    {
      name: 'packages-import-no-papers',
      comment: '@wmkit/papers sits above the model packages: only @wmkit/figures (which draws its results) and apps import it.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/(papers|figures)/' },
      to: { path: '^packages/papers/' },
    },
    {
      name: 'packages-import-no-figures',
      comment: '@wmkit/figures draws what models and recipes return: only apps import it.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/figures/' },
      to: { path: '^packages/figures/' },
    },
    {
      name: 'examples-use-public-apis',
      comment: 'examples/ show how users import wmkit: through package names, never by a relative path into a package.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(packages|apps)/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'no-circular-imports',
      comment: 'Modules must not import each other in a circle (it makes load order matter and hides layering).',
      severity: 'error',
      from: { path: '^(packages|apps|bench|examples)/' },
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^((packages|apps)/[^/]+/(src|test)/|bench/src/|examples/)',
    exclude: { path: '(^|/)(node_modules|dist)/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    skipAnalysisNotInRules: true,
  },
};
