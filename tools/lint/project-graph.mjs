// The Nx project graph that `@nx/enforce-module-boundaries` reads. The rule only reads Nx's cached
// graph (.nx/workspace-data); without one (a fresh clone, a deleted .nx, ESLint run directly
// rather than through `nx`) it prints "No cached ProjectGraph is available. The rule will be
// skipped." and lets every import through. The ESLint config awaits `ensureProjectGraph()`, so the
// graph is built first when it is missing, and a rule that still could not read it fails ESLint
// instead of passing silently.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createProjectGraphAsync, readCachedProjectGraph } = require('@nx/devkit');
const { readFileMapCache } = require('@nx/devkit/internal');

/** Whether the cached graph and file map the boundary rule reads are both there. */
export function cachedProjectGraphReadable() {
  try {
    readCachedProjectGraph();
    return Boolean(readFileMapCache()?.fileMap?.projectFileMap);
  } catch {
    return false;
  }
}

/** Builds (and caches) the project graph when it is missing; throws when it cannot be read after. */
export async function ensureProjectGraph() {
  if (cachedProjectGraphReadable()) return;
  try {
    await createProjectGraphAsync({ exitOnError: false });
  } catch (e) {
    throw new Error(`@nx/enforce-module-boundaries needs the Nx project graph, which could not be built: ${e?.message ?? e}`);
  }
  if (!cachedProjectGraphReadable()) {
    throw new Error(
      '@nx/enforce-module-boundaries would be skipped: no cached Nx project graph after building it ' +
        '(run `npx nx graph --file=tmp/graph.json` to see why)',
    );
  }
}
