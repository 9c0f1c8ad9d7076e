// A fixed wall clock for HDF5 writes, so that the same inputs give byte-identical files.
//
// Why: HDF5 records object modification times in every object header by default
// (H5Pset_obj_track_times defaults to true, and h5wasm offers no way to turn it off). Under
// h5wasm that time comes from Emscripten's clock_time_get(CLOCK_REALTIME), which is implemented
// as `Date.now()` (see `_emscripten_date_now` in h5wasm/dist/node/hdf5_util.js). Nothing else
// HDF5 writes depends on the clock; Emscripten's monotonic clock (performance.now) only feeds
// timing code.
//
// The clock is pinned only while a synchronous h5wasm call runs and restored in `finally`, so no
// other code (and no `await` in between) ever sees the fake time.

/** The instant every object of our files claims to have been written at: the Unix epoch. */
export const PINNED_EPOCH_MS = 0;

export function withPinnedClock<T>(call: () => T): T {
  const realNow = Date.now;
  Date.now = () => PINNED_EPOCH_MS;
  try {
    return call();
  } finally {
    Date.now = realNow;
  }
}
