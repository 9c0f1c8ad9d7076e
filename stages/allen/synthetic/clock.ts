// Pinning the JavaScript clock while h5wasm writes. HDF5 stores a modification-time message in
// every dataset's object header (h5py's default track_times=True, which the real files have), and
// under Emscripten the C library's time() reads Date.now(). Two writes seconds apart would differ
// in those bytes; with the clock pinned they are identical.
//
// Only synchronous code may run while pinned: nothing else of the process may observe the fake
// time. Callbacks to user code run with the real clock (see `PinnedClock.outside`).

type DateCtor = DateConstructor;

export class PinnedClock {
  private saved: { readonly Date: DateCtor; readonly now: () => number } | undefined;

  constructor(private readonly epochMs: number) {}

  /** Runs `fn` with `Date.now()` and `new Date()` fixed at the epoch; restores them afterwards. */
  run<T>(fn: () => T): T {
    if (this.saved !== undefined) throw new Error('PinnedClock.run is not re-entrant');
    const RealDate = globalThis.Date;
    const realNow = RealDate.now;
    const epochMs = this.epochMs;
    // A subclass so that `instanceof Date`, Date.UTC, Date.parse keep working; only "now" is fixed.
    class FixedDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(epochMs);
        else super(...(args as [string | number | Date]));
      }
      static override now(): number {
        return epochMs;
      }
    }
    this.saved = { Date: RealDate, now: realNow };
    globalThis.Date = FixedDate as DateCtor;
    RealDate.now = () => epochMs;
    try {
      return fn();
    } finally {
      RealDate.now = realNow;
      globalThis.Date = RealDate;
      this.saved = undefined;
    }
  }

  /** Runs `fn` with the real clock (for progress callbacks) while pinned; a no-op wrapper otherwise. */
  outside<T>(fn: () => T): T {
    const saved = this.saved;
    if (saved === undefined) return fn();
    const pinnedDate = globalThis.Date;
    const pinnedNow = saved.Date.now;
    globalThis.Date = saved.Date;
    saved.Date.now = saved.now;
    try {
      return fn();
    } finally {
      saved.Date.now = pinnedNow;
      globalThis.Date = pinnedDate;
    }
  }
}
