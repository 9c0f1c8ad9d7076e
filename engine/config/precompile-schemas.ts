// Build step (run by `npm run build` after tsc): compiles every JSON Schema under schemas/ into
// standalone validator code, dist/schemas/validators.cjs. Compiling a schema with ajv at run time
// costs more than loading all the rest of pipe, and `pipe status` must answer quickly; plugins'
// schemas, which cannot be known at build time, are still compiled at run time.
import { Ajv } from 'ajv';
import { createRequire } from 'node:module';

// CommonJS with the function as `exports.default`, which ESM typing cannot see through.
const standaloneCode = (createRequire(import.meta.url)('ajv/dist/standalone') as { default: (ajv: Ajv, refs: Record<string, string>) => string }).default;
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../util/package.js';
import { AJV_OPTIONS, schemaKey } from './validator-cache.js';

const root = packageRoot();
const files: string[] = [];
const walk = (dir: string) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name));
    else if (e.name.endsWith('.schema.json')) files.push(join(dir, e.name));
  }
};
walk(join(root, 'schemas'));
files.sort();

const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
const exportsMap: Record<string, string> = {};
for (const file of files) {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
  const key = schemaKey(schema);
  const id = `v${Object.keys(exportsMap).length}`;
  ajv.addSchema(schema, id);
  exportsMap[key] = id;
  process.stdout.write(`precompiled ${relative(root, file)}\n`);
}
const code = standaloneCode(ajv, exportsMap);
mkdirSync(join(root, 'dist/schemas'), { recursive: true });
writeFileSync(join(root, 'dist/schemas/validators.cjs'), code);
