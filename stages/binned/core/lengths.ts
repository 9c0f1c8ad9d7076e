// Column-length checks for raw tables: a short column means a damaged file or a reader bug, and
// reading past its end would silently yield `undefined` instead of failing.

import type { CoreInputError } from './types.js';

export function checkLengths(
  table: string,
  expected: number,
  columns: Readonly<Record<string, ArrayLike<unknown>>>,
): CoreInputError | null {
  for (const [column, values] of Object.entries(columns)) {
    if (values.length !== expected) {
      return { kind: 'length-mismatch', table, column, expected, actual: values.length };
    }
  }
  return null;
}
