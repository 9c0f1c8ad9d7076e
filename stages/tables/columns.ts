// What a table to be written is made of: named, typed columns as plain arrays, so that the code
// that builds a table does not import Arrow (stages/README.md: descriptors and pure modules stay
// light; only encode.ts and read.ts load apache-arrow).
//
// Only the five column types the contract uses (stages/README.md) are supported. A column is
// null where `valid[i]` is falsy; without `valid` it has no nulls. Text columns carry their nulls
// inline (`null` / `undefined`).

/** A numeric column; `valid` marks the non-null rows (all rows when absent). */
interface NumericColumn<T extends string> {
  readonly name: string;
  readonly type: T;
  readonly values: ArrayLike<number>;
  readonly valid?: ArrayLike<boolean | number>;
}

/** int64: ids. Values must be safe integers, or a BigInt64Array for the full range. */
export interface Int64Column {
  readonly name: string;
  readonly type: 'int64';
  readonly values: ArrayLike<number> | BigInt64Array;
  readonly valid?: ArrayLike<boolean | number>;
}

export type Int32Column = NumericColumn<'int32'>;
export type Float64Column = NumericColumn<'float64'>;

export interface Utf8Column {
  readonly name: string;
  readonly type: 'utf8';
  readonly values: readonly (string | null | undefined)[];
}

export interface BoolColumn {
  readonly name: string;
  readonly type: 'bool';
  readonly values: ArrayLike<boolean | number>;
  readonly valid?: ArrayLike<boolean | number>;
}

export type Column = Int64Column | Int32Column | Float64Column | Utf8Column | BoolColumn;
export type ColumnType = Column['type'];

/**
 * The validity mask "not NaN", for float64 columns whose NaN means "missing" (the contract's
 * "float64 (null = NaN)"), so that pandas and polars see a real null.
 */
export function notNaN(values: ArrayLike<number>): Uint8Array {
  const valid = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) valid[i] = Number.isNaN(values[i]!) ? 0 : 1;
  return valid;
}

/** Row count of a column list; throws (a caller bug) when the columns disagree. */
export function rowCount(columns: readonly Column[]): number {
  const rows = columns[0]?.values.length ?? 0;
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new Error(`duplicate table column '${c.name}'`);
    names.add(c.name);
    if (c.values.length !== rows) {
      throw new Error(`table column '${c.name}' has ${c.values.length} rows, '${columns[0]!.name}' has ${rows}`);
    }
    if ('valid' in c && c.valid !== undefined && c.valid.length !== rows) {
      throw new Error(`the validity mask of table column '${c.name}' has ${c.valid.length} rows, expected ${rows}`);
    }
  }
  return rows;
}
