// Which stimuli become output files, and with which parameter columns (binned-dataset.md §5, §8).

import { err, ok, type Result } from './types.js';
import { isMovie } from './whole-movies.js';

/** Stimulus name → the parameters that identify a condition; both a pipeline param. */
export type RelevantParameters = Readonly<Record<string, readonly string[]>>;

/** The §5 table. Stimulus names not listed produce no output. */
export const DEFAULT_RELEVANT_PARAMETERS: RelevantParameters = {
  gabors: ['orientation', 'y_position', 'x_position'],
  flashes: ['color'],
  drifting_gratings: ['temporal_frequency', 'orientation'],
  static_gratings: ['phase', 'spatial_frequency', 'orientation'],
  natural_scenes: ['frame'],
  natural_movie_one: ['frame'],
  natural_movie_three: ['frame'],
  natural_movie_one_more_repeats: ['frame'],
  drifting_gratings_contrast: ['contrast', 'orientation'],
  drifting_gratings_75_repeats: ['contrast', 'orientation'],
  dot_motion: ['Speed', 'Dir'],
};

/** Output stimulus type → the stimulus names binned together into it. Unlisted names stand alone. */
export type StimulusGroups = Readonly<Record<string, readonly string[]>>;

/**
 * §8: `natural_movie_one.h5` holds the BO sessions' natural_movie_one and the FC sessions'
 * natural_movie_one_more_repeats (the same movie, shown more often).
 */
export const DEFAULT_STIMULUS_GROUPS: StimulusGroups = {
  natural_movie_one: ['natural_movie_one', 'natural_movie_one_more_repeats'],
};

export interface StimulusSelectionOptions {
  readonly relevantParameters?: RelevantParameters;
  readonly groups?: StimulusGroups;
}

/** One output file's worth of stimuli. */
export interface StimulusType {
  /** File name stem, e.g. `natural_movie_one`. */
  readonly name: string;
  /** Stimulus names whose presentations it holds. */
  readonly members: readonly string[];
  /** Each member's relevant parameters (its null filter checks these, §5). */
  readonly memberParameters: Readonly<Record<string, readonly string[]>>;
  /** Union of the members' relevant parameters, in first-appearance order: the output columns. */
  readonly parameters: readonly string[];
  /** §6: movies clip their bins at the stop time; a type is a movie if its members are. */
  readonly clipToStop: boolean;
}

export type StimulusOptionsError =
  | { readonly kind: 'unknown-group-member'; readonly group: string; readonly member: string }
  | { readonly kind: 'member-in-two-groups'; readonly member: string; readonly groups: readonly [string, string] }
  // Binning clips a whole type or none of it, so movies and non-movies cannot share a file.
  | { readonly kind: 'mixed-movie-group'; readonly group: string };

export function describeStimulusOptionsError(e: StimulusOptionsError): string {
  switch (e.kind) {
    case 'unknown-group-member':
      return `stimulus group ${e.group}: ${e.member} has no relevant parameters, so it produces no output`;
    case 'member-in-two-groups':
      return `stimulus ${e.member} is in two groups: ${e.groups[0]} and ${e.groups[1]}`;
    case 'mixed-movie-group':
      return `stimulus group ${e.group} mixes movies (clipped at the stop time) with other stimuli`;
  }
}

/** The output stimulus types in ascending name order. */
export function stimulusTypes(options: StimulusSelectionOptions = {}): Result<StimulusType[], StimulusOptionsError> {
  const relevant = options.relevantParameters ?? DEFAULT_RELEVANT_PARAMETERS;
  const groups = options.groups ?? DEFAULT_STIMULUS_GROUPS;
  const groupOf = new Map<string, string>();
  for (const [group, members] of Object.entries(groups)) {
    for (const member of members) {
      if (!Object.hasOwn(relevant, member)) return err({ kind: 'unknown-group-member', group, member });
      const other = groupOf.get(member);
      if (other !== undefined && other !== group) {
        return err({ kind: 'member-in-two-groups', member, groups: [other, group] });
      }
      groupOf.set(member, group);
    }
  }
  const members = new Map<string, string[]>();
  for (const name of Object.keys(relevant)) {
    const type = groupOf.get(name) ?? name;
    const list = members.get(type);
    if (list) list.push(name);
    else members.set(type, [name]);
  }
  const types: StimulusType[] = [];
  for (const [name, list] of members) {
    const movies = list.filter(isMovie).length;
    if (movies !== 0 && movies !== list.length) return err({ kind: 'mixed-movie-group', group: name });
    const memberParameters = Object.fromEntries(list.map((m) => [m, relevant[m]!]));
    const parameters = [...new Set(list.flatMap((m) => relevant[m]!))];
    types.push({ name, members: list, memberParameters, parameters, clipToStop: movies !== 0 });
  }
  return ok(types.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}
