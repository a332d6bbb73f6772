// Every unit and integration suite of the workspace in one Jest run (`npm test` uses it; per
// project: `npx nx test <project>`). The e2e suite (apps/e2e) runs separately against built processes.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

const projects = [];
for (const base of ['apps', 'libs', 'tools']) {
  const walk = (dir, depth) => {
    if (existsSync(join(dir, 'jest.config.js')) && existsSync(join(dir, 'project.json'))) {
      if (!dir.endsWith(join('apps', 'e2e'))) projects.push(`<rootDir>/${dir}`);
      return;
    }
    if (depth > 2) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name), depth + 1);
  };
  if (existsSync(base)) walk(base, 0);
}

module.exports = { projects };
