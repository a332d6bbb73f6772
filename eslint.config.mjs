import nx from '@nx/eslint-plugin';
import { ensureProjectGraph } from './tools/lint/project-graph.mjs';

// The boundary rule reads Nx's cached project graph and skips itself without one: build it first
// (a fresh clone has none), and fail here rather than lint without the rule.
await ensureProjectGraph();

// Module boundaries (see README "Repository layout"):
// - domain libs import only other domain libs (no NestJS, no services);
// - graph libs build on domain libs; platform libs on domain libs;
// - apps use platform, graph and domain libs, never another app;
// - the Graph simulator's code and the testing lib are imported only by tests, tools, the
//   simulator app and the e2e suite.
const productionConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:domain'] },
  { sourceTag: 'type:graph', onlyDependOnLibsWithTags: ['type:graph', 'type:domain'] },
  { sourceTag: 'type:simulator', onlyDependOnLibsWithTags: ['type:simulator', 'type:domain'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:simulator', 'type:platform', 'type:graph', 'type:domain'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:graph', 'type:domain'] },
  { sourceTag: 'type:simulator-app', onlyDependOnLibsWithTags: ['type:simulator', 'type:platform', 'type:domain'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:simulator', 'type:graph', 'type:platform', 'type:domain'] },
  // workspace tools (benchmarks, checks): anything but apps
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:testing', 'type:simulator', 'type:graph', 'type:platform', 'type:domain'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared'] },
  { sourceTag: 'scope:sync', onlyDependOnLibsWithTags: ['scope:sync', 'scope:shared'] },
  { sourceTag: 'scope:actions', onlyDependOnLibsWithTags: ['scope:actions', 'scope:shared'] },
  { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:notifications', 'scope:shared'] },
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
  { sourceTag: 'scope:simulator', onlyDependOnLibsWithTags: ['scope:simulator', 'scope:shared'] },
  { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:testing', 'scope:shared', 'scope:simulator'] },
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:e2e', 'scope:testing', 'scope:shared', 'scope:simulator'] },
  { sourceTag: 'scope:tooling', onlyDependOnLibsWithTags: ['scope:tooling', 'scope:testing', 'scope:shared', 'scope:simulator'] },
];

// Tests may additionally use the testing lib and the in-process simulator.
const testConstraints = productionConstraints.map((c) =>
  c.sourceTag.startsWith('type:') && !['type:domain'].includes(c.sourceTag)
    ? { ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing', 'type:simulator'])] }
    : c.sourceTag.startsWith('scope:')
      ? { ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'scope:simulator', 'scope:testing'])] }
      : c,
);

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/data', '**/tmp', '**/.nx', 'tools/**/*.mjs', 'jest.preset.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: productionConstraints },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e.ts', '**/test/**/*.ts', '**/testing/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: testConstraints },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
