#!/usr/bin/env node
// Bundles one app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js, or, with
// `--entry <file.ts> --out <file.js>`, any TypeScript entry (tools, benchmarks: see tools/run-ts.mjs).
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
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const app = args[0] && !args[0].startsWith('--') ? args[0] : undefined;
const entry = flag('--entry') ? resolve(flag('--entry')) : app && join(root, 'apps', app, 'src', 'main.ts');
const outfile = flag('--out') ? resolve(flag('--out')) : app && join(root, 'dist', 'apps', app, 'main.js');
const quiet = args.includes('--quiet');
if (!entry || !outfile) {
  console.error('usage: build.mjs <app> | build.mjs --entry <file.ts> --out <file.js>');
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
  entryPoints: [entry],
  outfile,
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
if (!quiet) console.log(`built ${outfile.replace(root + '/', '')} in ${Date.now() - started} ms`);
