// Parameters: the `params:` map of pipeline.yaml, with `-S params.a.b=value` overrides applied on
// top for one run. An override is parsed as YAML so `-S params.items=[a,b]` gives a list and
// `-S params.bin_width=0.01` a number; it is recorded in data.lock like an edit of the file.
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type { Diagnostic, Result } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';

export type Params = Record<string, unknown>;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export function applyOverrides(params: Params, overrides: readonly string[]): Result<Params> {
  const out = clone(params);
  const diagnostics: Diagnostic[] = [];
  for (const raw of overrides) {
    const eq = raw.indexOf('=');
    if (eq <= 0) {
      diagnostics.push({ message: `-S ${raw}: expected params.<path>=<value>`, hint: 'for example: -S params.bin_width=0.01' });
      continue;
    }
    const key = raw.slice(0, eq).trim().replace(/^params\./, '');
    let value: unknown;
    try {
      value = loadYaml(raw.slice(eq + 1), { schema: CORE_SCHEMA });
    } catch (e) {
      diagnostics.push({ message: `-S ${raw}: the value is not valid YAML (${(e as Error).message.split('\n')[0]})` });
      continue;
    }
    const parts = key.split('.');
    let cur: unknown = out;
    let failed = false;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = isMap(cur) ? cur[parts[i]!] : undefined;
      if (!isMap(next)) {
        failed = true;
        break;
      }
      cur = next;
    }
    const last = parts[parts.length - 1]!;
    if (failed || !isMap(cur) || !(last in cur)) {
      const at = parts.slice(0, -1);
      const parent = failed ? undefined : cur;
      diagnostics.push({
        message: `-S ${raw}: pipeline.yaml has no parameter params.${key}`,
        hint: isMap(parent)
          ? `parameters under params${at.length ? '.' + at.join('.') : ''}: ${Object.keys(parent).join(', ') || '(none)'}`
          : 'override an existing parameter; add new ones to pipeline.yaml',
      });
      continue;
    }
    cur[last] = value;
  }
  return diagnostics.length ? fail(...diagnostics) : ok(out);
}

/** Looks up a dotted key (`a.b.0`) in the params tree. */
export function lookupParam(params: Params, key: string): { found: true; value: unknown } | { found: false } {
  let cur: unknown = params;
  for (const part of key.split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part) && Number(part) < cur.length) cur = cur[Number(part)];
    else if (isMap(cur) && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else return { found: false };
  }
  return { found: true, value: cur };
}

/** A copy of `params` with the dotted `key` set to `value` (used to re-render with old values). */
export function withParam(params: Params, key: string, value: unknown): Params {
  const out = structuredClone(params);
  const parts = key.split('.');
  let cur: unknown = out;
  for (const part of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(part)] : isMap(cur) ? cur[part] : undefined;
    if (cur === undefined) return out;
  }
  const last = parts[parts.length - 1]!;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else if (isMap(cur)) cur[last] = value;
  return out;
}
