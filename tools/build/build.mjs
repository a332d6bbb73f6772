#!/usr/bin/env node
// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js.
// esbuild resolves the workspace's tsconfig path aliases and bundles our own code; npm packages
// stay external (they are installed next to the bundle). esbuild cannot emit decorator metadata,
// which NestJS needs for dependency injection and validation, so every .ts file is first
// transpiled by TypeScript itself (transpileModule: fast, no type check; `npm run typecheck`
// does the checking).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const app = process.argv[2];
if (!app) {
  console.error('usage: build.mjs <app>');
  process.exit(2);
}

const tsconfig = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8'));
const compilerOptions = {
  ...ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, root).options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};

const decoratorMetadata = {
  name: 'typescript-decorator-metadata',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const out = ts.transpileModule(source, { compilerOptions, fileName: args.path });
      return { contents: out.outputText, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

const started = Date.now();
await build({
  entryPoints: [join(root, 'apps', app, 'src', 'main.ts')],
  outfile: join(root, 'dist', 'apps', app, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  tsconfig: join(root, 'tsconfig.base.json'),
  plugins: [decoratorMetadata],
  logLevel: 'warning',
});
console.log(`built dist/apps/${app}/main.js in ${Date.now() - started} ms`);
