// The stimuli of the two Allen VCN session types: their condition grids, presentation timing and
// the columns of their `/intervals/<name>_presentations` tables.
//
// Parameter values: data/published/All_presentation_parameters.md (one real BO and one real FC
// session). Column sets and default storage (float64 'f' vs vlen string 's'):
// allen-nwb-layout.md §5.2 [REAL]. Timing: durations are whole display frames of
// DISPLAY_FRAME_S, which reproduces the published median durations
// (presentations_median_durations_fullprecision.csv, e.g. gabors 0.25020923 = 15 frames).

export type SessionType = 'brain_observatory_1.1' | 'functional_connectivity';

/** A parameter value of one condition; null is a blank-sweep / missing value. */
export type ParamValue = number | null;
export type Condition = Readonly<Record<string, ParamValue>>;

/** What a column holds for a condition: a number, a fixed text, or missing (null). */
export type CellValue = number | string | null;

export interface ColumnDef {
  readonly name: string;
  /** Default storage in the real files: float64 ('f') or vlen UTF-8 string ('s'). */
  readonly storage: 'f' | 's';
  readonly value: (condition: Condition) => CellValue;
}

/** How the spike model responds to a stimulus (see ../spikes/tuning.ts). */
export type ResponseFamily = 'gabor' | 'flash' | 'grating' | 'scene' | 'movie' | 'dots';

export interface StimulusSpec {
  readonly name: string;
  readonly family: ResponseFamily;
  /** Display frames a presentation lasts, and gray frames after it before the next one. */
  readonly onFrames: number;
  readonly gapFrames: number;
  /** Non-movie stimuli: every condition (blank sweeps included, with null parameters). */
  readonly conditions: readonly Condition[];
  /** Conditions that are blank sweeps (must appear at least once in every session). */
  readonly blank: (c: Condition) => boolean;
  /** Movies: the movie shown (responses are shared across its variants) and its frame count. */
  readonly movie?: { readonly id: 'natural_movie_one' | 'natural_movie_three'; readonly frames: number; readonly shuffled: boolean };
  /** Columns besides start_time, stop_time, stimulus_name, tags and timeseries. */
  readonly columns: readonly ColumnDef[];
}

/** One monitor refresh on the rig (~60 Hz), from the published medians (see above). */
export const DISPLAY_FRAME_S = 0.0166806;

/** Movies advance one movie frame per two display frames (~30 Hz). */
export const MOVIE_FRAME_DISPLAY_FRAMES = 2;

function grid(axes: Readonly<Record<string, readonly number[]>>): Condition[] {
  let out: Record<string, ParamValue>[] = [{}];
  for (const [name, values] of Object.entries(axes)) {
    out = out.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return out;
}

const param = (name: string, storage: 'f' | 's' = 'f'): ColumnDef => ({ name, storage, value: (c) => c[name] ?? null });
const fixed = (name: string, storage: 'f' | 's', v: CellValue): ColumnDef => ({ name, storage, value: () => v });
/** A parameter that is constant except in blank sweeps (where it is missing). */
const unlessBlank = (name: string, storage: 'f' | 's', v: number, blankKey: string): ColumnDef => ({
  name,
  storage,
  value: (c) => (c[blankKey] === null ? null : v),
});
const blockAndIndex: ColumnDef[] = [param('stimulus_block'), param('stimulus_index')];

const range = (from: number, to: number, step: number): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to + 1e-9; v += step) out.push(v);
  return out;
};

// ---- the stimuli -------------------------------------------------------------------------------

const GABORS: StimulusSpec = {
  name: 'gabors',
  family: 'gabor',
  onFrames: 15,
  gapFrames: 0,
  conditions: grid({ orientation: [0, 45, 90], x_position: range(-40, 40, 10), y_position: range(-40, 40, 10) }),
  blank: () => false,
  columns: [
    fixed('color', 's', '[1.0, 1.0, 1.0]'),
    fixed('contrast', 'f', 0.8),
    fixed('mask', 's', 'circle'),
    fixed('opacity', 'f', 1),
    param('orientation'),
    fixed('phase', 's', '[3644.93333333, 3644.93333333]'),
    fixed('size', 's', '[20.0, 20.0]'),
    fixed('spatial_frequency', 's', 0.08),
    ...blockAndIndex,
    fixed('temporal_frequency', 'f', 4),
    fixed('units', 's', 'deg'),
    param('x_position'),
    param('y_position'),
  ],
};

const FLASHES: StimulusSpec = {
  name: 'flashes',
  family: 'flash',
  onFrames: 15,
  gapFrames: 105, // one flash every 2 s
  conditions: grid({ color: [-1, 1] }),
  blank: () => false,
  columns: [
    param('color', 's'), // "-1.0" / "1.0": numeric text [REAL]
    fixed('contrast', 'f', 0.8),
    fixed('mask', 's', 'None'),
    fixed('opacity', 'f', 1),
    fixed('orientation', 'f', 0),
    fixed('phase', 's', '[0.0, 0.0]'),
    fixed('size', 's', '[300.0, 300.0]'),
    fixed('spatial_frequency', 's', '[0.0, 0.0]'),
    ...blockAndIndex,
    fixed('units', 's', 'deg'),
  ],
};

function driftingGratings(opts: {
  name: string;
  conditions: Condition[];
  phase: string;
  sfStorage: 'f' | 's';
}): StimulusSpec {
  return {
    name: opts.name,
    family: 'grating',
    onFrames: opts.name === 'drifting_gratings_contrast' ? 30 : 120,
    gapFrames: opts.name === 'drifting_gratings_contrast' ? 0 : 60,
    conditions: opts.conditions,
    blank: (c) => c['orientation'] === null,
    columns: [
      fixed('color', 's', '[1.0, 1.0, 1.0]'),
      param('contrast'),
      fixed('mask', 's', 'None'),
      fixed('opacity', 'f', 1),
      param('orientation'),
      fixed('phase', 's', opts.phase),
      fixed('size', 's', '[250.0, 250.0]'),
      unlessBlank('spatial_frequency', opts.sfStorage, 0.04, 'orientation'),
      ...blockAndIndex,
      param('temporal_frequency'),
      fixed('units', 's', 'deg'),
    ],
  };
}

/** Blank sweep of the gratings: every grating parameter null [All_presentation_parameters.md]. */
const GRATING_BLANK: Condition = { orientation: null, temporal_frequency: null, contrast: null, spatial_frequency: null, phase: null };

const DRIFTING_GRATINGS = driftingGratings({
  name: 'drifting_gratings',
  conditions: [
    ...grid({ orientation: range(0, 315, 45), temporal_frequency: [1, 2, 4, 8, 15], contrast: [0.8] }),
    GRATING_BLANK,
  ],
  phase: '[21211.93333333, 21211.93333333]',
  sfStorage: 's',
});

const DRIFTING_GRATINGS_CONTRAST = driftingGratings({
  name: 'drifting_gratings_contrast',
  conditions: grid({
    orientation: [0, 45, 90, 135],
    temporal_frequency: [2],
    contrast: [0.01, 0.02, 0.04, 0.08, 0.13, 0.2, 0.35, 0.6, 1],
  }),
  phase: '[4198.96666667, 4198.96666667]',
  sfStorage: 's',
});

const DRIFTING_GRATINGS_75 = driftingGratings({
  name: 'drifting_gratings_75_repeats',
  conditions: grid({ orientation: [0, 45, 90, 135], temporal_frequency: [2], contrast: [0.1, 0.8] }),
  phase: '[14037.96666667, 14037.96666667]',
  sfStorage: 'f',
});

const STATIC_GRATINGS: StimulusSpec = {
  name: 'static_gratings',
  family: 'grating',
  onFrames: 15,
  gapFrames: 0,
  conditions: [
    ...grid({ orientation: range(0, 150, 30), spatial_frequency: [0.02, 0.04, 0.08, 0.16, 0.32], phase: [0, 0.25, 0.5, 0.75], contrast: [0.8] }),
    GRATING_BLANK,
  ],
  blank: (c) => c['orientation'] === null,
  columns: [
    fixed('color', 's', '[1.0, 1.0, 1.0]'),
    param('contrast'),
    fixed('mask', 's', 'None'),
    fixed('opacity', 'f', 1),
    param('orientation'),
    param('phase', 's'), // "0.25", …; "N/A" in blank sweeps
    fixed('size', 's', '[250.0, 250.0]'),
    param('spatial_frequency'), // float64 here, text in drifting_gratings [REAL]
    ...blockAndIndex,
    fixed('units', 's', 'deg'),
  ],
};

const NATURAL_SCENES: StimulusSpec = {
  name: 'natural_scenes',
  family: 'scene',
  onFrames: 15,
  gapFrames: 0,
  conditions: grid({ frame: range(-1, 117, 1) }), // -1 is the blank image
  blank: (c) => c['frame'] === -1,
  columns: [param('frame'), ...blockAndIndex],
};

function movie(name: string, id: 'natural_movie_one' | 'natural_movie_three', shuffled: boolean): StimulusSpec {
  return {
    name,
    family: 'movie',
    onFrames: MOVIE_FRAME_DISPLAY_FRAMES,
    gapFrames: 0,
    conditions: [],
    blank: () => false,
    movie: { id, frames: id === 'natural_movie_one' ? 900 : 3600, shuffled },
    columns: [
      fixed('color', 's', '[1.0, 1.0, 1.0]'),
      fixed('contrast', 'f', 1),
      param('frame'),
      fixed('opacity', 'f', 1),
      fixed('orientation', 'f', 0),
      fixed('size', 's', '[1920.0, 1080.0]'),
      ...blockAndIndex,
      fixed('units', 's', 'deg'),
    ],
  };
}

const DOT_MOTION: StimulusSpec = {
  name: 'dot_motion',
  family: 'dots',
  onFrames: 60,
  gapFrames: 30,
  conditions: grid({ Dir: [-45, 0, 45, 90], Speed: [0, 0.0005, 0.001, 0.005, 0.01, 0.02, 0.04] }),
  blank: () => false,
  // The display parameters below are not listed in the published summary; plausible values.
  columns: [
    param('Dir'),
    param('Speed'),
    fixed('coherence', 'f', 0.9),
    fixed('color', 's', '[-1.0, -1.0, -1.0]'),
    fixed('contrast', 'f', 1),
    fixed('dotLife', 'f', 5),
    fixed('dotSize', 'f', 2),
    fixed('fieldPos', 's', '[0.0, 0.0]'),
    fixed('fieldShape', 's', 'circle'),
    fixed('fieldSize', 's', '[250.0, 250.0]'),
    fixed('nDots', 'f', 200),
    fixed('noiseDots', 's', 'direction'),
    fixed('opacity', 'f', 1),
    ...blockAndIndex,
    fixed('units', 's', 'deg'),
  ],
};

export const SPONTANEOUS = 'spontaneous';

export const STIMULI: Readonly<Record<string, StimulusSpec>> = Object.fromEntries(
  [
    GABORS,
    FLASHES,
    DRIFTING_GRATINGS,
    DRIFTING_GRATINGS_CONTRAST,
    DRIFTING_GRATINGS_75,
    STATIC_GRATINGS,
    NATURAL_SCENES,
    movie('natural_movie_one', 'natural_movie_one', false),
    movie('natural_movie_three', 'natural_movie_three', false),
    movie('natural_movie_one_more_repeats', 'natural_movie_one', false),
    movie('natural_movie_one_shuffled', 'natural_movie_one', true),
    DOT_MOTION,
  ].map((s) => [s.name, s]),
);

export function stimulusSpec(name: string): StimulusSpec {
  const spec = STIMULI[name];
  if (spec === undefined) throw new Error(`unknown stimulus ${name}`);
  return spec;
}

/** `stimulus_index` values: the position of the stimulus in the session's script [INF]. */
export const STIMULUS_INDEX: Readonly<Record<string, number>> = {
  gabors: 0,
  flashes: 1,
  drifting_gratings: 2,
  natural_movie_three: 3,
  natural_movie_one: 4,
  static_gratings: 5,
  natural_scenes: 6,
  natural_movie_one_more_repeats: 2,
  dot_motion: 3,
  drifting_gratings_contrast: 4,
  natural_movie_one_shuffled: 5,
  drifting_gratings_75_repeats: 6,
};
