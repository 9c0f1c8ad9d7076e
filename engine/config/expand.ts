// Fan-out: `foreach` over a list or mapping, `matrix` over the cartesian product of named lists.
// Each item becomes its own stage item `name@key`, stale or fresh on its own. The list a stage
// fans out over is not a parameter *of each item*: adding a session to `params.sessions` adds an
// item and leaves the existing items fresh.
import type { Diagnostic } from '../diagnostics.js';
import { interpolate, type Scope } from './interpolate.js';
import type { PathSegment, YamlSource } from './source.js';

export interface ExpandedItem {
  /** undefined for a plain (non fan-out) stage. */
  readonly key?: string;
  readonly scope: Scope;
}

const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function resolveList(
  value: unknown,
  params: Scope['params'],
  source: YamlSource,
  path: PathSegment[],
  diagnostics: Diagnostic[],
): unknown {
  if (typeof value !== 'string') return value;
  const r = interpolate(value, { params }, 'value');
  if (!r.ok) {
    diagnostics.push({ message: r.error, location: source.locate(path), hint: r.hint });
    return undefined;
  }
  return r.value;
}

export function expandStage(
  name: string,
  raw: { foreach?: unknown; matrix?: unknown },
  params: Scope['params'],
  source: YamlSource,
  diagnostics: Diagnostic[],
): ExpandedItem[] {
  const here: PathSegment[] = ['stages', name];
  if (raw.foreach !== undefined && raw.matrix !== undefined) {
    diagnostics.push({
      message: `stage '${name}' has both foreach and matrix`,
      location: source.locate([...here, 'matrix'], 'key'),
      hint: 'use matrix alone to fan out over several lists',
    });
    return [];
  }
  if (raw.foreach !== undefined) {
    const list = resolveList(raw.foreach, params, source, [...here, 'foreach'], diagnostics);
    if (list === undefined) return [];
    if (Array.isArray(list)) {
      if (list.length === 0) {
        diagnostics.push({ message: `foreach of stage '${name}' is an empty list`, location: source.locate([...here, 'foreach']) });
        return [];
      }
      // Scalars name their item; anything else is named by its position.
      return list.map((v, i) => ({ key: isScalar(v) ? String(v) : String(i), scope: { params, item: { value: v } } }));
    }
    if (typeof list === 'object' && list !== null) {
      return Object.entries(list).map(([k, v]) => ({ key: k, scope: { params, item: { value: v, key: k } } }));
    }
    diagnostics.push({
      message: `foreach of stage '${name}' must be a list or a mapping, got ${JSON.stringify(list)}`,
      location: source.locate([...here, 'foreach']),
    });
    return [];
  }
  if (raw.matrix !== undefined) {
    const axes: [string, unknown[]][] = [];
    for (const [axis, v] of Object.entries(raw.matrix as Record<string, unknown>)) {
      const list = resolveList(v, params, source, [...here, 'matrix', axis], diagnostics);
      if (list === undefined) return [];
      if (!Array.isArray(list) || list.length === 0) {
        diagnostics.push({
          message: `matrix axis '${axis}' of stage '${name}' must be a non-empty list`,
          location: source.locate([...here, 'matrix', axis]),
        });
        return [];
      }
      axes.push([axis, list]);
    }
    let combos: { names: string[]; value: Record<string, unknown> }[] = [{ names: [], value: {} }];
    for (const [axis, list] of axes) {
      combos = combos.flatMap((c) =>
        list.map((v, i) => ({ names: [...c.names, isScalar(v) ? String(v) : String(i)], value: { ...c.value, [axis]: v } })),
      );
    }
    return combos.map((c) => ({ key: c.names.join('-'), scope: { params, item: { value: c.value } } }));
  }
  return [{ scope: { params } }];
}
