// Shared by the table tests: a column's values with null where the column is null, so nullable
// columns compare in one go.
import type { TableFile } from '../stages/tables/index.js';

export function withNulls(t: TableFile, name: string): (number | null)[] {
  const values = t.numbers(name);
  const valid = t.validity(name);
  return Array.from(values, (v, i) => (valid && !valid[i] ? null : v));
}
