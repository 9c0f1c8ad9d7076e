// One validator per schema: the standalone code precompiled at build time
// (dist/schemas/validators.cjs, see precompile-schemas.ts) when it has the schema, else ajv at
// run time (plugins' schemas). Keyed by the schema's canonical text, so a shipped schema finds
// its precompiled validator whether it was loaded from schemas/ or dist/.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { packageRoot } from '../util/package.js';

export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const;

export interface Validator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

const requireCjs = createRequire(import.meta.url);
let precompiled: Record<string, Validator> | undefined;
let runtimeAjv: { compile(schema: object): Validator } | undefined;
const cache = new Map<object, Validator>();

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  return v;
}

export function schemaKey(schema: object): string {
  return createHash('sha1').update(JSON.stringify(canonical(schema))).digest('hex');
}

function loadPrecompiled(): Record<string, Validator> {
  if (precompiled) return precompiled;
  const file = join(packageRoot(), 'dist/schemas/validators.cjs');
  precompiled = existsSync(file) ? (requireCjs(file) as Record<string, Validator>) : {};
  return precompiled;
}

export function validatorFor(schema: object): Validator {
  let v = cache.get(schema);
  if (v) return v;
  v = loadPrecompiled()[schemaKey(schema)];
  if (!v) {
    if (!runtimeAjv) {
      const { Ajv } = requireCjs('ajv') as typeof import('ajv');
      runtimeAjv = new Ajv(AJV_OPTIONS) as unknown as { compile(schema: object): Validator };
    }
    v = runtimeAjv.compile(schema);
  }
  cache.set(schema, v);
  return v;
}
