// bin_spikes' `with:` arguments (schemas/stages/bin_spikes.schema.json) with their defaults, and
// the output stimulus types they select. The engine validates against the schema but does not
// fill in defaults, so they are applied here.

import { StageError } from '../../../engine/builtin/types.js';
import {
  DEFAULT_RELEVANT_PARAMETERS,
  DEFAULT_STIMULUS_GROUPS,
  describeStimulusOptionsError,
  stimulusTypes,
  type RelevantParameters,
  type StimulusType,
} from '../core/index.js';
import { isFileSafeTypeName } from './binned-files.js';

/** As written in pipeline.yaml (after `${...}` substitution). */
export interface BinSpikesArgs {
  readonly session_id: number | string;
  readonly nwb: string;
  readonly units: string;
  readonly presentations: string;
  readonly out_dir: string;
  readonly bin_width?: number;
  readonly relevant_parameters?: Readonly<Record<string, readonly string[]>>;
  readonly stimulus_types?: readonly string[];
}

export interface BinSpikesSettings {
  readonly sessionId: number;
  readonly binWidth: number;
  /** The output types to bin, ascending by name. */
  readonly types: readonly StimulusType[];
}

/** §6 default. */
export const DEFAULT_BIN_WIDTH = 0.02;

export function resolveSettings(args: BinSpikesArgs): BinSpikesSettings {
  const sessionId = Number(args.session_id);
  if (!Number.isSafeInteger(sessionId) || sessionId < 0) throw new StageError(`session_id ${JSON.stringify(args.session_id)} is not a session id`);
  const binWidth = args.bin_width ?? DEFAULT_BIN_WIDTH;
  if (!(binWidth > 0 && Number.isFinite(binWidth))) throw new StageError(`bin_width must be a positive number of seconds, got ${binWidth}`);
  return { sessionId, binWidth, types: selectTypes(args.relevant_parameters ?? DEFAULT_RELEVANT_PARAMETERS, args.stimulus_types) };
}

function selectTypes(relevant: RelevantParameters, wanted: readonly string[] | undefined): StimulusType[] {
  // §8's grouping (natural_movie_one holds natural_movie_one_more_repeats) applies to the
  // stimuli the table lists: a custom table without one of them keeps the group for the rest.
  const groups = Object.fromEntries(
    Object.entries(DEFAULT_STIMULUS_GROUPS)
      .map(([group, members]) => [group, members.filter((m) => Object.hasOwn(relevant, m))] as const)
      .filter(([, members]) => members.length > 0),
  );
  const all = stimulusTypes({ relevantParameters: relevant, groups });
  if (!all.ok) throw new StageError(`relevant_parameters: ${describeStimulusOptionsError(all.error)}`);
  for (const t of all.value) {
    if (!isFileSafeTypeName(t.name)) throw new StageError(`stimulus type '${t.name}' cannot be a file name (letters, digits, _ . - only)`);
  }
  if (wanted === undefined) return all.value;
  const known = new Set(all.value.map((t) => t.name));
  const unknown = wanted.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new StageError(
      `stimulus_types: ${unknown.join(', ')} ${unknown.length > 1 ? 'are not output types' : 'is not an output type'}`,
      `the output types are ${[...known].join(', ')}`,
    );
  }
  const set = new Set(wanted);
  return all.value.filter((t) => set.has(t.name));
}
