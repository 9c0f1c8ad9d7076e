// Locating files that ship with the package (schemas/, package.json). The same code runs from
// the compiled dist/ tree and, under vitest, from the TypeScript sources, so paths are found by
// walking up to the directory that holds our package.json rather than by a fixed `../..`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'pipe') return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the pipe package root');
    dir = parent;
  }
}

let version: string | undefined;

export function pipeVersion(): string {
  if (!version) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    version = pkg.version;
  }
  return version;
}

export function readPackageJson(relative: string): unknown {
  return JSON.parse(readFileSync(join(packageRoot(), relative), 'utf8'));
}
