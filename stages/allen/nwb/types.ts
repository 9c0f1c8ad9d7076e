// What the NWB session reader returns: plain data, row order exactly as on disk, no filtering,
// no renaming, no coercion of string cells. The dataset rules (unit filter, presentation
// concatenation, "N/A" → null, …; binned-dataset.md §1–§2) are applied by the consumers.
//
// Numbers: every numeric column is a Float64Array whatever its on-disk type (int8…uint64,
// float32/64, HDF5 enum). Integers, including the int64 ids of the Allen files, are exact: the
// reader refuses (StageError) an integer whose magnitude exceeds 2^53 instead of rounding it.
// Paths in `path` fields are absolute HDF5 paths, for messages.

/** A 1-D numeric column converted to float64 (ids and integer columns included, exactly). */
export type NumericColumn = Float64Array;
/** A 1-D string column (vlen or fixed-length, UTF-8 or ASCII on disk). */
export type StringColumn = readonly string[];

/** A scalar-cell column of a DynamicTable whose on-disk type may differ from table to table. */
export type Column =
  | { readonly kind: 'numeric'; readonly values: NumericColumn }
  | { readonly kind: 'string'; readonly values: StringColumn };

/** The 1-D, non-ragged numeric and string columns of a table, keyed by on-disk name. */
export interface ColumnSet {
  /** Numeric columns (float, integer, enum) in `colnames` order. */
  readonly numeric: ReadonlyMap<string, NumericColumn>;
  /** String columns in `colnames` order. */
  readonly strings: ReadonlyMap<string, StringColumn>;
  /**
   * Columns present but not returned as scalar cells: ragged (`<col>_index`), multi-dimensional,
   * object references, compounds. Named so that a consumer can tell "absent" from "not read".
   */
  readonly skipped: readonly string[];
}

/** `/units`: one row per sorted unit (noise units included), in file order (not sorted by id). */
export interface UnitsTable {
  readonly path: string;
  readonly rows: number;
  /** `id`: the global unit id. */
  readonly id: NumericColumn;
  /** `quality` ("good" / "noise" in Allen files); undefined when the column is absent. */
  readonly quality: StringColumn | undefined;
  /** `peak_channel_id`: foreign key into electrodes `id`; undefined when absent. */
  readonly peakChannelId: NumericColumn | undefined;
  readonly amplitudeCutoff: NumericColumn | undefined;
  readonly presenceRatio: NumericColumn | undefined;
  readonly isiViolations: NumericColumn | undefined;
  /** Every scalar column, the ones above included (metrics are NaN where missing). */
  readonly columns: ColumnSet;
  /**
   * `spike_times_index` as read once: exclusive cumulative end offsets into `spike_times`, one
   * per row, validated (non-decreasing, last ≤ number of spikes). Row r's spikes are
   * `spike_times[end[r-1] : end[r]]` with `end[-1] = 0`.
   */
  readonly spikeTimesEnd: Float64Array;
  /** Number of values in `/units/spike_times`. */
  readonly totalSpikes: number;
}

/** `/general/extracellular_ephys/electrodes`: one row per channel (invalid channels included). */
export interface ElectrodesTable {
  readonly path: string;
  readonly rows: number;
  /** `id`: the channel id (what units `peak_channel_id` points at). */
  readonly id: NumericColumn;
  /** `location`: the brain-structure acronym; "" (or "None") means no structure. */
  readonly location: StringColumn | undefined;
  /** `valid_data` (an HDF5 enum FALSE=0/TRUE=1 in Allen files; any integer is accepted). */
  readonly validData: readonly boolean[] | undefined;
  /** `group_name`: the probe name, e.g. "probeA". */
  readonly groupName: StringColumn | undefined;
  readonly probeVerticalPosition: NumericColumn | undefined;
  readonly probeHorizontalPosition: NumericColumn | undefined;
  readonly columns: ColumnSet;
}

/** A TimeIntervals table such as `/intervals/gabors_presentations`. */
export interface IntervalsTable {
  /** Group name, e.g. "gabors_presentations". */
  readonly name: string;
  readonly path: string;
  readonly rows: number;
  /** `id`: a local 0..n-1 in Allen files, not a global presentation id. */
  readonly id: NumericColumn;
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /**
   * Every other scalar column, raw, in `colnames` order; `start_time`, `stop_time`, `tags`,
   * `timeseries` and their `_index` datasets are not included. The same column may be numeric
   * in one table and string ("0.04", "[20.0, 20.0]", "N/A") in another (allen-nwb-layout §0.3).
   */
  readonly columns: ReadonlyMap<string, Column>;
  /** Columns present but not returned (see ColumnSet.skipped). */
  readonly skipped: readonly string[];
}

/** `/intervals/invalid_times`. */
export interface InvalidTimes {
  readonly path: string;
  readonly rows: number;
  readonly startTime: Float64Array;
  readonly stopTime: Float64Array;
  /** The ragged `tags` of each row, e.g. ["EcephysSession", "715093703", "stimulus"]. */
  readonly tags: readonly (readonly string[])[];
}

/** An NWB TimeSeries with the raw stored values (conversion and offset NOT applied). */
export interface TimeSeries {
  readonly path: string;
  /** Row-major values: `rows × width` (width 1 for 1-D data). */
  readonly data: Float64Array;
  readonly rows: number;
  /** Product of the data dimensions after the first (2 for screen_coordinates). */
  readonly width: number;
  /** One time per row, seconds. Read through a soft link when the file stores one. */
  readonly timestamps: Float64Array;
  /** The `unit` attribute of `data`, when present. */
  readonly unit: string | undefined;
  /** `data@conversion` (default 1) and `data@offset` (default 0): value × conversion + offset. */
  readonly conversion: number;
  readonly offset: number;
}

/** `/processing/running/running_speed`: data = velocity (cm/s), timestamps = interval starts. */
export type RunningSpeed = TimeSeries;

/** One gaze-mapping processing module (`raw_gaze_mapping` or `filtered_gaze_mapping`). */
export interface GazeMapping {
  readonly path: string;
  readonly pupilArea: TimeSeries | undefined;
  readonly eyeArea: TimeSeries | undefined;
  /** (N, 2) = [y_cm, x_cm] (allen-nwb-layout §7.1). */
  readonly screenCoordinates: TimeSeries | undefined;
  /** (N, 2) = [y_deg, x_deg]. */
  readonly screenCoordinatesSpherical: TimeSeries | undefined;
}

/** The gaze modules present in the file (none in sessions without eye tracking). */
export interface Gaze {
  readonly raw: GazeMapping | undefined;
  readonly filtered: GazeMapping | undefined;
}

/** An ellipse-fit DynamicTable of `/processing/eye_tracking`; height/width are half-axes. */
export interface EllipseFits {
  readonly path: string;
  readonly rows: number;
  readonly timestamps: NumericColumn | undefined;
  readonly centerX: NumericColumn | undefined;
  readonly centerY: NumericColumn | undefined;
  readonly height: NumericColumn | undefined;
  readonly width: NumericColumn | undefined;
  readonly phi: NumericColumn | undefined;
}

/** A small numeric dataset of the rig-metadata group, with its `unit` attribute. */
export interface RigGeometry {
  readonly values: Float64Array;
  readonly unit: string | undefined;
}

export interface EyeTracking {
  readonly pupil: EllipseFits | undefined;
  readonly cornealReflection: EllipseFits | undefined;
  readonly eye: EllipseFits | undefined;
  /** `/processing/eye_tracking_rig_metadata/eye_tracking_rig_metadata` (present even without eye tracking). */
  readonly rig:
    | {
        readonly path: string;
        readonly equipment: string | undefined;
        /** monitor_position, camera_position, led_position, monitor_rotation, camera_rotation, … */
        readonly geometry: ReadonlyMap<string, RigGeometry>;
      }
    | undefined;
}

/** Everything the reader extracts from a session file except the spike times themselves. */
export interface NwbSession {
  /** The file as given to the reader. */
  readonly file: string;
  /** `/identifier` (the session id as text in Allen files). */
  readonly identifier: string;
  /** `/general/stimulus`: "brain_observatory_1.1" or "functional_connectivity" in Allen files. */
  readonly sessionType: string | undefined;
  readonly units: UnitsTable;
  readonly electrodes: ElectrodesTable | undefined;
  /** Every group directly under `/intervals` whose name ends in `_presentations`, by name. */
  readonly presentations: readonly IntervalsTable[];
  readonly invalidTimes: InvalidTimes | undefined;
  readonly runningSpeed: RunningSpeed | undefined;
  readonly gaze: Gaze;
  /** Only read when asked for (ReadSessionOptions.eyeTracking): ~40 MB the dataset does not use. */
  readonly eyeTracking: EyeTracking | undefined;
}
