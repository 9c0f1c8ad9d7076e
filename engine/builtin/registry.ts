// The set of built-in stages the analyzer can resolve `uses:` against. The engine does not know
// which built-ins exist: the CLI composes the registry from the shipped `stages/` and from
// plugin modules named in PIPE_PLUGINS (how tests add a test-only built-in, and how a lab adds
// its own without forking).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { BuiltinDescriptor } from './types.js';

export interface BuiltinRegistry {
  get(name: string): BuiltinDescriptor | undefined;
  names(): string[];
}

export function createRegistry(descriptors: readonly BuiltinDescriptor[]): BuiltinRegistry {
  const byName = new Map<string, BuiltinDescriptor>();
  for (const d of descriptors) byName.set(d.name, d);
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
  };
}

/**
 * Loads plugin modules (path-delimiter separated list of files, relative to `cwd`). Each must
 * export `builtins: BuiltinDescriptor[]`. A plugin may not shadow a shipped built-in.
 */
export async function loadPlugins(spec: string | undefined, cwd: string): Promise<BuiltinDescriptor[]> {
  if (!spec) return [];
  const out: BuiltinDescriptor[] = [];
  for (const file of spec.split(process.platform === 'win32' ? ';' : ':').filter(Boolean)) {
    const mod = (await import(pathToFileURL(resolve(cwd, file)).href)) as { builtins?: BuiltinDescriptor[] };
    if (!Array.isArray(mod.builtins)) throw new PluginError(`plugin ${file} does not export a 'builtins' array`);
    out.push(...mod.builtins);
  }
  return out;
}

export class PluginError extends Error {}
