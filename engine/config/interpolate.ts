// `${...}` substitution. References: `${params.a.b}`, and inside a fan-out `${item}`,
// `${item.k}` and `${key}`. `$${` stands for a literal `${` (so a command can still use the
// shell's own `${HOME}` by writing `$${HOME}`).
//
// Three ways to substitute, by where the string sits:
// - 'value' (built-in `with:` arguments, foreach sources): a string that is exactly one reference
//   takes the referenced value with its type (a list stays a list, 0.02 stays a number);
// - 'text' (paths): the value is spliced into the text; it must be a scalar;
// - 'shell' (commands): like text, but every substituted value is shell-quoted, so a parameter such
//   as `a; rm -rf x` stays one argument. A list becomes its quoted elements separated by spaces.

export type Mode = 'value' | 'text' | 'shell';

export interface Scope {
  readonly params: Readonly<Record<string, unknown>>;
  /** Present only inside a fan-out stage. */
  readonly item?: { readonly value: unknown; readonly key?: string };
}

export type Interpolation =
  | { readonly ok: true; readonly value: unknown; readonly params: ReadonlyMap<string, unknown> }
  | { readonly ok: false; readonly error: string; readonly hint?: string };

const REF = /\$\$\{|\$\{([^}]*)\}/g;

export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type Lookup = { ok: true; value: unknown; paramKey?: string } | { ok: false; error: string; hint?: string };

function walk(root: unknown, parts: readonly string[], shown: string): Lookup {
  let cur = root;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (Array.isArray(cur) && /^\d+$/.test(part) && Number(part) < cur.length) cur = cur[Number(part)];
    else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else {
      const at = parts.slice(0, i).join('.');
      const prefix = at ? `${shown.split('.')[0]}.${at}` : shown.split('.')[0]!;
      const keys = isPlainObject(cur) ? Object.keys(cur) : Array.isArray(cur) ? [`0..${cur.length - 1}`] : [];
      return {
        ok: false,
        error: `unknown reference \${${shown}}: ${prefix} has no key '${part}'`,
        hint: keys.length ? `available under ${prefix}: ${keys.slice(0, 20).join(', ')}${keys.length > 20 ? ', …' : ''}` : undefined,
      };
    }
  }
  return { ok: true, value: cur };
}

function resolve(expr: string, scope: Scope): Lookup {
  const shown = expr.trim();
  const parts = shown.split('.');
  const head = parts[0];
  if (head === 'params') {
    if (parts.length < 2 || parts.some((p) => p === '')) return { ok: false, error: `invalid reference \${${shown}}` };
    const r = walk(scope.params, parts.slice(1), shown);
    return r.ok ? { ...r, paramKey: parts.slice(1).join('.') } : r;
  }
  if (head === 'item' || head === 'key') {
    if (!scope.item) {
      return { ok: false, error: `\${${shown}} is only defined inside a stage with foreach or matrix` };
    }
    if (head === 'key') {
      if (parts.length > 1 || scope.item.key === undefined) {
        return { ok: false, error: `\${key} is only defined when foreach is a mapping` };
      }
      return { ok: true, value: scope.item.key };
    }
    return walk(scope.item.value, parts.slice(1), shown);
  }
  return {
    ok: false,
    error: `unknown reference \${${shown}}`,
    hint: 'references start with params., item or key; write $${ for a literal ${',
  };
}

function toText(value: unknown, expr: string, mode: Mode): { ok: true; text: string } | { ok: false; error: string } {
  if (typeof value === 'string') return { ok: true, text: mode === 'shell' ? shellQuote(value) : value };
  if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, text: String(value) };
  if (value === null || value === undefined) return { ok: false, error: `\${${expr}} is null and cannot be used in text` };
  if (mode === 'shell') {
    if (Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
      return { ok: true, text: value.map((v) => shellQuote(String(v))).join(' ') };
    }
    return { ok: true, text: shellQuote(JSON.stringify(value)) };
  }
  return { ok: false, error: `\${${expr}} is a ${Array.isArray(value) ? 'list' : 'mapping'} and cannot be used in a path` };
}

export function interpolate(input: string, scope: Scope, mode: Mode): Interpolation {
  const params = new Map<string, unknown>();
  const whole = /^\$\{([^}]*)\}$/.exec(input);
  if (mode === 'value' && whole) {
    const r = resolve(whole[1]!, scope);
    if (!r.ok) return r;
    if (r.paramKey !== undefined) params.set(r.paramKey, r.value);
    return { ok: true, value: r.value, params };
  }
  let failure: Interpolation | undefined;
  const out = input.replace(REF, (match, expr: string | undefined) => {
    if (match === '$${') return '${';
    if (failure) return '';
    const r = resolve(expr ?? '', scope);
    if (!r.ok) {
      failure = r;
      return '';
    }
    if (r.paramKey !== undefined) params.set(r.paramKey, r.value);
    const t = toText(r.value, (expr ?? '').trim(), mode);
    if (!t.ok) {
      failure = t;
      return '';
    }
    return t.text;
  });
  return failure ?? { ok: true, value: out, params };
}

/** Substitutes every string inside a JSON-like value (built-in arguments), in 'value' mode. */
export function interpolateDeep(
  value: unknown,
  scope: Scope,
  onError: (path: (string | number)[], error: string, hint?: string) => void,
  path: (string | number)[] = [],
  params: Map<string, unknown> = new Map(),
): { value: unknown; params: Map<string, unknown> } {
  if (typeof value === 'string') {
    const r = interpolate(value, scope, 'value');
    if (!r.ok) {
      onError(path, r.error, r.hint);
      return { value, params };
    }
    for (const [k, v] of r.params) params.set(k, v);
    return { value: r.value, params };
  }
  if (Array.isArray(value)) {
    return { value: value.map((v, i) => interpolateDeep(v, scope, onError, [...path, i], params).value), params };
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateDeep(v, scope, onError, [...path, k], params).value;
    return { value: out, params };
  }
  return { value, params };
}
