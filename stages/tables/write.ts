// Writing a table or a small text file to an output path. The bytes go to a temporary sibling
// first and are renamed into place (engine/util/atomic.ts), so a crash or an interrupted run never
// leaves a truncated .arrow file that a later reader would take for a whole one.

import { writeFileAtomic } from '../../engine/util/atomic.js';
import type { Column } from './columns.js';
import { encodeTable } from './encode.js';

/** Writes the columns as an Arrow IPC file at `file` (parent directories are created). */
export async function writeTableFile(options: { readonly file: string; readonly columns: readonly Column[] }): Promise<void> {
  await writeFileAtomic(options.file, encodeTable(options.columns));
}

/** Writes a text file (CSV, JSON) the same way. */
export async function writeTextFile(options: { readonly file: string; readonly text: string }): Promise<void> {
  await writeFileAtomic(options.file, options.text);
}
