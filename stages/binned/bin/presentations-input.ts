// A session's filtered presentations (stages/README.md, `data/presentations/filtered/`) as the
// core's PresentationTable, in ascending presentation id as §8 orders the output.

import { StageError } from '../../../engine/builtin/types.js';
import { readPresentationsFile } from '../../tables/index.js';
import { takeRows, type PresentationTable } from '../core/index.js';

const REPAIR = 're-run filter_presentations';

export async function readPresentationTable(file: string): Promise<PresentationTable> {
  return inIdOrder(await readPresentationsFile(file), file);
}

/** Sorts by id when the file is not already in id order; duplicate ids are an input error. */
function inIdOrder(table: PresentationTable, file: string): PresentationTable {
  let sorted = true;
  for (let r = 1; r < table.length && sorted; r++) sorted = table.id[r]! > table.id[r - 1]!;
  const rows = sorted ? null : Array.from({ length: table.length }, (_, r) => r).sort((a, b) => table.id[a]! - table.id[b]!);
  const idAt = (i: number) => table.id[rows ? rows[i]! : i]!;
  for (let i = 1; i < table.length; i++) {
    if (idAt(i) === idAt(i - 1)) throw new StageError(`${file}: presentation_id ${idAt(i)} appears twice`, REPAIR);
  }
  return rows ? takeRows(table, rows) : table;
}
