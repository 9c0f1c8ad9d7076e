// Paths as the graph sees them: workspace-relative POSIX strings with no `.`/`..` segments and
// no trailing slash. Edges come from paths: a stage depends on the stage that produces one of its
// deps (the same path, an output directory containing the dep, or outputs inside a dep directory).
import { posix } from 'node:path';

export type PathCheck = { ok: true; path: string } | { ok: false; error: string };

export function normalizeOut(raw: string): PathCheck {
  if (posix.isAbsolute(raw) || /^[A-Za-z]:[\\/]/.test(raw)) {
    return { ok: false, error: `output '${raw}' is an absolute path; outputs must be inside the workspace` };
  }
  const p = posix.normalize(raw.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (p === '..' || p.startsWith('../')) return { ok: false, error: `output '${raw}' is outside the workspace` };
  if (p === '.' || p === '') return { ok: false, error: `output '${raw}' is the workspace itself` };
  return { ok: true, path: p };
}

export function normalizeDep(raw: string): string {
  const p = posix.normalize(raw.replace(/\\/g, '/')).replace(/\/+$/, '');
  return p === '' ? '.' : p;
}

/** Every proper ancestor directory of a relative path: `a/b/c` → `a/b`, `a`. */
export function ancestors(p: string): string[] {
  const out: string[] = [];
  let i = p.lastIndexOf('/');
  while (i > 0) {
    out.push(p.slice(0, i));
    i = p.lastIndexOf('/', i - 1);
  }
  return out;
}

/** Index of declared outputs, for producer lookup in O(path depth). */
export class OutputIndex {
  private readonly exact = new Map<string, string>();
  /** directory → outputs below it (with their producers). */
  private readonly below = new Map<string, { out: string; stage: string }[]>();

  /** Registers an output; returns the conflicting declaration if it overlaps another one. */
  add(out: string, stage: string): { out: string; stage: string } | undefined {
    const same = this.exact.get(out);
    if (same !== undefined) return { out, stage: same };
    for (const a of ancestors(out)) {
      const owner = this.exact.get(a);
      if (owner !== undefined) return { out: a, stage: owner };
    }
    const inner = this.below.get(out);
    if (inner && inner.length > 0) return inner[0];
    this.exact.set(out, stage);
    for (const a of ancestors(out)) {
      let list = this.below.get(a);
      if (!list) this.below.set(a, (list = []));
      list.push({ out, stage });
    }
    return undefined;
  }

  /** The outputs (and their stages) that a dependency on `dep` reads. */
  producersOf(dep: string): { out: string; stage: string }[] {
    const direct = this.exact.get(dep);
    if (direct !== undefined) return [{ out: dep, stage: direct }];
    for (const a of ancestors(dep)) {
      const owner = this.exact.get(a);
      if (owner !== undefined) return [{ out: a, stage: owner }];
    }
    if (dep === '.') return [...this.exact].map(([out, stage]) => ({ out, stage }));
    return this.below.get(dep) ?? [];
  }
}
