// One JSON object per line per event, with `t` = milliseconds since the run started. The stream
// CI and the test suite read.
import type { Logger, PipeEvent } from '../events.js';

export function createNdjsonLogger(write: (text: string) => void, now: () => number = () => performance.now()): Logger {
  const t0 = now();
  return {
    event(e: PipeEvent) {
      write(`${JSON.stringify({ ...e, t: Math.round(now() - t0) })}\n`);
    },
    close() {},
  };
}
