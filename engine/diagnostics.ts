// User errors are values with locations (style.md §2). A Diagnostic names the file, line and
// column, and renders the offending line with a caret under the column, so a person can find the
// problem without opening the file. A thrown exception is never a user error: it is a bug.

export interface SourceLocation {
  /** Path as shown to the user (relative to the working directory when possible). */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** The text of the line, for rendering; absent when the location has no source text. */
  readonly lineText?: string;
}

export interface Diagnostic {
  readonly message: string;
  readonly location?: SourceLocation;
  /** How to fix it, when there is something concrete to say. */
  readonly hint?: string;
  /** Other places involved (the first declaration of a duplicate output, the rest of a cycle). */
  readonly related?: readonly { readonly message: string; readonly location?: SourceLocation }[];
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(...diagnostics: Diagnostic[]): Result<T> => ({ ok: false, diagnostics });

function renderLocation(loc: SourceLocation, indent: string): string {
  let out = `${indent}${loc.file}:${loc.line}:${loc.column}`;
  if (loc.lineText !== undefined) {
    const gutter = String(loc.line);
    out += `\n${indent}  ${gutter} | ${loc.lineText}`;
    out += `\n${indent}  ${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, loc.column - 1))}^`;
  }
  return out;
}

/** Plain-text rendering, the same on a terminal and in CI logs (tests compare it exactly). */
export function renderDiagnostic(d: Diagnostic): string {
  const lines: string[] = [];
  if (d.location) lines.push(`${d.location.file}:${d.location.line}:${d.location.column}: error: ${d.message}`);
  else lines.push(`error: ${d.message}`);
  if (d.location?.lineText !== undefined) {
    // Re-render just the excerpt (the header line above already names the position).
    lines.push(renderLocation(d.location, '').split('\n').slice(1).join('\n'));
  }
  for (const r of d.related ?? []) {
    lines.push(`  note: ${r.message}`);
    if (r.location) lines.push(renderLocation(r.location, '    '));
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}
