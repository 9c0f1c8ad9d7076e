// Rate and ETA for progress reports.
//
// The rate counts only bytes moved during this call: a resumed 2 GB prefix that was already on
// disk would otherwise make the first report claim an absurd speed and a near-zero ETA.

import type { Clock, TransferProgress } from './types.js';

export class TransferMeter {
  private moved = 0;
  private readonly startedAt: number;

  constructor(private readonly now: Clock) {
    this.startedAt = now();
  }

  /** Records bytes that were actually transferred (not found already present). */
  add(bytes: number): void {
    this.moved += bytes;
  }

  snapshot(done: number, total: number | undefined): TransferProgress {
    const seconds = (this.now() - this.startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? this.moved / seconds : 0;
    const etaSeconds =
      total !== undefined && bytesPerSecond > 0 ? Math.max(0, total - done) / bytesPerSecond : undefined;
    return { done, total, bytesPerSecond, etaSeconds };
  }
}
