// Checks that a file is an Arrow IPC *file* (stages/README.md: the random-access format that
// pyarrow.ipc.open_file and polars.read_ipc take), not the stream format: the 6-byte magic
// `ARROW1` at the very start (padded to 8) and at the very end, and apache-arrow reads it.

import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';
import { expect } from 'vitest';

const MAGIC = Buffer.from('ARROW1', 'latin1');

export function expectArrowFile(file: string): Table {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 6).equals(MAGIC), `${file} starts with ARROW1`).toBe(true);
  expect(bytes.subarray(bytes.length - 6).equals(MAGIC), `${file} ends with ARROW1`).toBe(true);
  return tableFromIPC(bytes);
}
