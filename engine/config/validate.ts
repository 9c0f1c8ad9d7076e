// JSON Schema validation (ajv) with errors turned into located diagnostics. Used for
// pipeline.yaml as a whole and for each built-in stage's `with:` arguments.
import type { ErrorObject } from 'ajv';
import { validatorFor } from './validator-cache.js';
import type { Diagnostic } from '../diagnostics.js';
import type { PathSegment, YamlSource } from './source.js';

// Validators run with `verbose`: errors carry their parent schema, which we read to list allowed
// keys and branches.

export function displayPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out || '(top level)';
}

function segments(instancePath: string): PathSegment[] {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function describeBranch(schema: unknown): string {
  const s = schema as { type?: string; items?: { type?: string }; pattern?: string };
  if (s.type === 'array') return s.items?.type ? `a list of ${s.items.type}s` : 'a list';
  if (s.type === 'object') return 'a mapping';
  if (s.type === 'string' && s.pattern) return 'a ${...} reference';
  return `a ${s.type ?? 'value'}`;
}

export interface ValidateOptions {
  readonly schema: object;
  readonly data: unknown;
  readonly source: YamlSource;
  /** Where `data` sits in the source document (e.g. ['stages', 'x', 'with']). */
  readonly basePath?: readonly PathSegment[];
  /** What is being validated, for messages ("pipeline.yaml", "arguments of built-in 'extract'"). */
  readonly subject?: string;
  /** How to call the validated value as a whole (default: the file name). */
  readonly rootName?: string;
}

export function validateAgainstSchema(opts: ValidateOptions): Diagnostic[] {
  const validate = validatorFor(opts.schema);
  if (validate(opts.data)) return [];
  const base = opts.basePath ?? [];
  const errors = (validate.errors ?? []) as ErrorObject[];
  // An anyOf failure also reports every branch's own failure; keep only the anyOf itself.
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.schemaPath);
  const kept = errors.filter(
    (e) => e.keyword === 'anyOf' || !anyOfPaths.some((p) => e.schemaPath.startsWith(`${p}/`)),
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of kept) {
    const path = [...base, ...segments(e.instancePath)];
    const where = path.length ? displayPath(path) : (opts.rootName ?? opts.source.file);
    let d: Diagnostic;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
        d = {
          message: `unknown key '${key}' in ${where}`,
          location: opts.source.locate([...path, key], 'key'),
          hint: allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
        };
        break;
      }
      case 'required': {
        const key = (e.params as { missingProperty: string }).missingProperty;
        d = { message: `${where} is missing the required key '${key}'`, location: opts.source.locate(path, 'key') };
        break;
      }
      case 'type':
        d = { message: `${where} must be ${describeBranch({ type: (e.params as { type: string }).type })}`, location: opts.source.locate(path) };
        break;
      case 'anyOf': {
        const branches = ((e.parentSchema as { anyOf?: unknown[] })?.anyOf ?? []).map(describeBranch);
        d = { message: `${where} must be ${branches.join(' or ')}`, location: opts.source.locate(path) };
        break;
      }
      case 'propertyNames':
        continue; // reported through its 'pattern' companion below
      case 'pattern':
        if ((e.params as { pattern: string }).pattern.startsWith('^[A-Za-z_]') && e.propertyName) {
          d = {
            message: `invalid stage name '${e.propertyName}'`,
            location: opts.source.locate([...path, e.propertyName], 'key'),
            hint: 'stage names start with a letter or _ and contain only letters, digits, _ and -',
          };
          break;
        }
        d = { message: `${where} ${e.message ?? 'is invalid'}`, location: opts.source.locate(path) };
        break;
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
        d = { message: `${where} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, location: opts.source.locate(path) };
        break;
      }
      default:
        d = { message: `${where} ${e.message ?? 'is invalid'}`, location: opts.source.locate(path) };
    }
    const key = `${d.message}@${d.location?.line}:${d.location?.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(opts.subject ? { ...d, message: `${opts.subject}: ${d.message}` } : d);
  }
  return out;
}
