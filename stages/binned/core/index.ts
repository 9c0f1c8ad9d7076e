// The pure algorithms of the binned dataset (binned-dataset.md §1–§7), without file I/O.
// The order below is the order a session goes through them.

export * from './types.js';
// §1 units
export * from './unit-filter.js';
export * from './unit-order.js';
export * from './session-units.js';
// §2 presentations
export * from './cells.js';
export * from './presentation-table.js';
export * from './concatenate.js';
export * from './invalid-mask.js';
export * from './presentations.js';
// §3 whole movies, §4 median filter and its reports
export * from './whole-movies.js';
export * from './median-filter.js';
export * from './python-format.js';
export * from './filter-report.js';
// §5 selection, §8 grouping
export * from './stimulus-types.js';
export * from './stimulus-selection.js';
// §6 binning
export * from './bin-edges.js';
export * from './sorted-search.js';
export * from './binning.js';
// §7 behaviour
export * from './interp.js';
export * from './behaviour.js';
