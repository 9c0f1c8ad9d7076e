// pipeline.yaml as data plus, on demand, positions. Every run parses the file with js-yaml
// (fast to load and to run). Positions are only needed to report a problem, so the `yaml`
// package, which keeps a source range on every node but costs more than a hundred milliseconds to
// load, is loaded and run only when a diagnostic asks where something is, or when js-yaml
// rejects the file (then `yaml` produces the located syntax errors).
import { createRequire } from 'node:module';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import type * as YamlLib from 'yaml';
import type { Diagnostic, Result, SourceLocation } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';

export type PathSegment = string | number;

export interface YamlSource {
  /** Path shown to the user. */
  readonly file: string;
  readonly text: string;
  /** The document as plain JavaScript values. */
  readonly data: unknown;
  /** Location of the value at `path`, or of the nearest existing ancestor when it is absent. */
  locate(path: readonly PathSegment[], which?: 'key' | 'value'): SourceLocation;
  /** Like locate, but moves the column to `needle` when it appears on that line at or after it. */
  locateText(path: readonly PathSegment[], needle: string): SourceLocation;
}

// `${...}` is part of our format, but `{` and `}` are flow indicators in YAML, so a plain
// `deps: [raw/${item}.csv]` would not parse. Before parsing, each reference's `$`, `{` and `}`
// are swapped for private-use characters (one UTF-16 unit each, so every offset and column stays
// exact), and swapped back in the parsed values.
const SWAP: Record<string, string> = { $: '\uE000', '{': '\uE001', '}': '\uE002' };
const UNSWAP: Record<string, string> = { '\uE000': '$', '\uE001': '{', '\uE002': '}' };

function protectReferences(text: string): string {
  return text.replace(/\$\{[^}\n]*\}/g, (m) => m.replace(/[${}]/g, (c) => SWAP[c]!));
}

function restoreReferences(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\uE000') ? value.replace(/[\uE000-\uE002]/g, (c) => UNSWAP[c]!) : value;
  if (Array.isArray(value)) return value.map(restoreReferences);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [restoreReferences(k) as string, restoreReferences(v)]));
  }
  return value;
}

const requireCjs = createRequire(import.meta.url);
let yamlLib: typeof YamlLib | undefined;
const positional = (): typeof YamlLib => (yamlLib ??= requireCjs('yaml') as typeof YamlLib);

interface Located {
  readonly errors: Diagnostic[];
  locate(path: readonly PathSegment[], which: 'key' | 'value'): SourceLocation;
}

/** Parses with positions (the `yaml` package). */
function parseWithPositions(file: string, text: string): Located {
  const { LineCounter, parseDocument, isMap, isSeq, isPair } = positional();
  const lineCounter = new LineCounter();
  const doc = parseDocument(protectReferences(text), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = text.split(/\r?\n/);
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, lineText: lines[line - 1] ?? '' };
  };
  const errors: Diagnostic[] = doc.errors.map((e) => ({
    message: `invalid YAML: ${firstLine(e.message)}`,
    location: at(e.pos[0]),
    hint: hintForYamlError(e.code),
  }));
  const locate = (path: readonly PathSegment[], which: 'key' | 'value'): SourceLocation => {
    let node: unknown = doc.contents;
    let best = doc.contents?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && restoreReferences(keyString(p.key)) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as YamlLib.Node | null;
        if (isLast && which === 'key' && keyNode?.range) return at(keyNode.range[0]);
        const valueNode = pair.value as YamlLib.Node | null;
        if (valueNode?.range) best = valueNode.range[0];
        else if (keyNode?.range) best = keyNode.range[0];
        node = valueNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as YamlLib.Node | undefined;
        if (!item?.range) break;
        best = item.range[0];
        node = item;
      } else break;
    }
    return at(best);
  };
  return { errors, locate };
}

export function parseYamlSource(file: string, text: string): Result<YamlSource> {
  let data: unknown;
  try {
    data = loadYaml(protectReferences(text), { schema: CORE_SCHEMA });
  } catch {
    const located = parseWithPositions(file, text);
    if (located.errors.length) return fail(...located.errors);
    // js-yaml refused what `yaml` accepts: report js-yaml's view, located as well as we can.
    return fail({ message: 'invalid YAML', location: located.locate([], 'value') });
  }
  let located: Located | undefined;
  const locate = (path: readonly PathSegment[], which: 'key' | 'value' = 'value'): SourceLocation =>
    (located ??= parseWithPositions(file, text)).locate(path, which);
  const locateText = (path: readonly PathSegment[], needle: string): SourceLocation => {
    const loc = locate(path);
    const at = loc.lineText?.indexOf(needle, loc.column - 1) ?? -1;
    return at >= 0 ? { ...loc, column: at + 1 } : loc;
  };
  return ok({ file, text, data: restoreReferences(data), locate, locateText });
}

function keyString(key: unknown): string {
  if (positional().isScalar(key)) return String((key as YamlLib.Scalar).value);
  return String(key);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function hintForYamlError(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once in a mapping; remove or rename one of them';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the ":" after each key';
    default:
      return undefined;
  }
}
