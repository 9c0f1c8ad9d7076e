// Root-group provenance attributes (binned-dataset.md §10): which pipe made the file, with which
// parameter values, from which NWB files. Written as string attributes holding canonical JSON
// (object keys sorted at every level) so that the same provenance always gives the same bytes,
// whatever order the caller built its objects in.

import type { Group } from 'h5wasm/node';

export interface Provenance {
  /** e.g. "pipe 0.1.0 binned/write-stimulus 3": whatever identifies the code that wrote the file. */
  readonly toolVersion: string;
  /** The parameter values used; any JSON-serialisable value. */
  readonly parameters: unknown;
  /** Source NWB file (name or id) → content hash, e.g. { "session_715093703.nwb": "sha256:…" }. */
  readonly sourceHashes: Readonly<Record<string, string>>;
}

/** Root attribute names. Variable-length UTF-8 strings: both netCDF-C and h5py read them as str. */
export const PROVENANCE_ATTRIBUTES = {
  toolVersion: 'pipe_version',
  parameters: 'pipe_parameters',
  sourceHashes: 'source_nwb_hashes',
} as const;

export function writeProvenance(root: Group, provenance: Provenance): void {
  root.create_attribute(PROVENANCE_ATTRIBUTES.toolVersion, provenance.toolVersion);
  root.create_attribute(PROVENANCE_ATTRIBUTES.parameters, canonicalJson(provenance.parameters));
  root.create_attribute(PROVENANCE_ATTRIBUTES.sourceHashes, canonicalJson(provenance.sourceHashes));
}

/** Reads back what `writeProvenance` wrote; a missing attribute is left out. */
export function readProvenance(root: Group): Partial<Provenance> {
  const attrs = root.attrs;
  const text = (name: string): string | undefined => {
    const value = attrs[name]?.value;
    return typeof value === 'string' ? value : undefined;
  };
  const toolVersion = text(PROVENANCE_ATTRIBUTES.toolVersion);
  const parameters = text(PROVENANCE_ATTRIBUTES.parameters);
  const hashes = text(PROVENANCE_ATTRIBUTES.sourceHashes);
  return {
    ...(toolVersion !== undefined ? { toolVersion } : {}),
    ...(parameters !== undefined ? { parameters: JSON.parse(parameters) as unknown } : {}),
    ...(hashes !== undefined ? { sourceHashes: JSON.parse(hashes) as Record<string, string> } : {}),
  };
}

/**
 * JSON with object keys sorted at every level (JSON.stringify then emits integer-like keys, such
 * as session ids, first and in numeric order; the others in code-unit order). Members whose
 * value is undefined are left out, as JSON.stringify does; what it would silently turn into
 * something else (NaN/Infinity → null, undefined in an array) or refuse (bigint) is an error, so
 * that the recorded parameters are exactly the ones used.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalise(value, '$'));
}

function canonicalise(value: unknown, where: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`provenance ${where}: ${value} has no JSON form`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => canonicalise(v, `${where}[${i}]`));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = canonicalise(member, `${where}.${key}`);
    }
    return out;
  }
  throw new TypeError(`provenance ${where}: a ${typeof value} has no JSON form`);
}
