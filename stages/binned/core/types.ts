// Input shapes of the binned-dataset algorithms, in the raw, on-disk order the NWB reader
// produces (allen-nwb-layout.md §3–§7), so that adapting a reader's output is a field-by-field
// copy. Nothing here is sorted, filtered or coerced yet; that is what the other modules do.

/** A numeric column as a reader hands it over (int64 ids arrive as plain numbers: < 2^53). */
export type NumericColumn = ArrayLike<number>;

/** `/units` (allen-nwb-layout.md §3): one entry per NWB row, in file order. */
export interface UnitsInput {
  readonly id: NumericColumn;
  readonly quality: readonly string[];
  /** NaN where the metric is missing. */
  readonly amplitude_cutoff: Float64Array;
  readonly presence_ratio: Float64Array;
  readonly isi_violations: Float64Array;
  /** Foreign key into `ElectrodesInput.id`. */
  readonly peak_channel_id: NumericColumn;
}

/** `/general/extracellular_ephys/electrodes` (allen-nwb-layout.md §4.1), one row per channel. */
export interface ElectrodesInput {
  readonly id: NumericColumn;
  /** CCF acronym; `""` (or `"None"`) when the channel has no structure. */
  readonly location: readonly string[];
  /** Stored as an HDF5 int8 enum, so a reader may pass 0/1 instead of booleans. */
  readonly valid_data: ArrayLike<boolean | number>;
  readonly group_name: readonly string[];
  readonly probe_vertical_position: NumericColumn;
  readonly probe_horizontal_position: NumericColumn;
}

/** One `/intervals/<name>_presentations` table (allen-nwb-layout.md §5.1–§5.2). */
export interface IntervalsTable {
  /** `<name>` without the `_presentations` suffix, e.g. `gabors`. */
  readonly name: string;
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /**
   * Every other column as stored: float64 or vlen string (the same logical column can be either,
   * even within one file). `tags`, `timeseries`, their indexes and `id` are ignored if present.
   */
  readonly columns: Readonly<Record<string, Float64Array | readonly string[]>>;
}

/** `/intervals/invalid_times` (allen-nwb-layout.md §5.3): tags are `[type, id, label]` per row. */
export interface InvalidTimesInput {
  readonly start: Float64Array;
  readonly stop: Float64Array;
  readonly tags: readonly (readonly string[])[];
}

/** A TimeSeries: `data[k]` was sampled at `timestamps[k]`. */
export interface BehaviourSeries {
  readonly timestamps: Float64Array;
  readonly data: Float64Array;
}

/**
 * A two-column TimeSeries such as `screen_coordinates`: `data` is the (N, 2) dataset flattened in
 * row-major order, so column c of sample k is `data[2k + c]`.
 */
export interface TwoColumnSeries {
  readonly timestamps: Float64Array;
  readonly data: Float64Array;
}

/** `/processing/raw_gaze_mapping` (allen-nwb-layout.md §7.1). */
export interface RawGazeMappingInput {
  readonly eye_area: BehaviourSeries;
  readonly pupil_area: BehaviourSeries;
  /** Columns are [y_cm, x_cm]. */
  readonly screen_coordinates: TwoColumnSeries;
  /** Columns are [y_deg, x_deg]. */
  readonly screen_coordinates_spherical: TwoColumnSeries;
}

/** Expected failures travel as values (style.md, principle 2). */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

/** A problem with a session's input data: the session cannot be processed as it stands. */
export type CoreInputError =
  | {
      readonly kind: 'length-mismatch';
      /** e.g. `units`, `intervals/gabors_presentations`, `running/running_speed`. */
      readonly table: string;
      readonly column: string;
      readonly expected: number;
      readonly actual: number;
    }
  | {
      readonly kind: 'unordered-timestamps';
      readonly series: string;
      /** First sample whose time is smaller than its predecessor's (or NaN). */
      readonly index: number;
      readonly previous: number;
      readonly value: number;
    }
  | { readonly kind: 'empty-series'; readonly series: string };

export function describeInputError(error: CoreInputError): string {
  switch (error.kind) {
    case 'length-mismatch':
      return `${error.table}: column ${error.column} has ${error.actual} values, expected ${error.expected}`;
    case 'unordered-timestamps':
      return (
        `${error.series}: sample times must be non-decreasing, but timestamps[${error.index}] = ` +
        `${error.value} follows ${error.previous}`
      );
    case 'empty-series':
      return `${error.series}: the series has no samples`;
  }
}
