// pipeline.yaml as a document with positions. We parse with the `yaml` package rather than
// js-yaml because diagnostics must point at file:line:column for any key or value, and `yaml`
// keeps a source range on every node. (data.lock, which is machine-written and read on every
// run, uses js-yaml: it is faster and positions are useless there.)
import { isMap, isSeq, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic, Result, SourceLocation } from '../diagnostics.js';
import { fail, ok } from '../diagnostics.js';

export type PathSegment = string | number;

export interface YamlSource {
  /** Path shown to the user. */
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
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

export function parseYamlSource(file: string, text: string): Result<YamlSource> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(protectReferences(text), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lines = text.split(/\r?\n/);
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, lineText: lines[line - 1] ?? '' };
  };
  if (doc.errors.length > 0) {
    const diagnostics: Diagnostic[] = doc.errors.map((e) => ({
      message: `invalid YAML: ${firstLine(e.message)}`,
      location: at(e.pos[0]),
      hint: hintForYamlError(e.code),
    }));
    return fail(...diagnostics);
  }
  const locate = (path: readonly PathSegment[], which: 'key' | 'value' = 'value'): SourceLocation => {
    let node: unknown = doc.contents;
    let best = doc.contents?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && restoreReferences(keyString(p.key)) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as Node | null;
        if (isLast && which === 'key' && keyNode?.range) return at(keyNode.range[0]);
        const valueNode = pair.value as Node | null;
        if (valueNode?.range) best = valueNode.range[0];
        else if (keyNode?.range) best = keyNode.range[0];
        node = valueNode;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg] as Node | undefined;
        if (!item?.range) break;
        best = item.range[0];
        node = item;
      } else break;
    }
    return at(best);
  };
  const locateText = (path: readonly PathSegment[], needle: string): SourceLocation => {
    const loc = locate(path);
    const at = loc.lineText?.indexOf(needle, loc.column - 1) ?? -1;
    return at >= 0 ? { ...loc, column: at + 1 } : loc;
  };
  return ok({ file, text, doc, data: restoreReferences(doc.toJS({ maxAliasCount: 1000 })), locate, locateText });
}

function keyString(key: unknown): string {
  if (isScalar(key)) return String(key.value);
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
