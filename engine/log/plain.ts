// Plain lines, one per event that matters to a person: what CI logs show and what a terminal
// shows until the live view takes over. Stage output is prefixed with the stage name; progress
// is rate-limited per stage so a long stage writes a line every few seconds, not thousands.
import type { Logger, PipeEvent } from '../events.js';
import { formatDuration, formatProgress } from './format.js';

export interface PlainLoggerOptions {
  readonly write: (text: string) => void;
  readonly color?: boolean;
  /** Minimum interval between progress lines of one stage. */
  readonly progressEveryMs?: number;
  readonly now?: () => number;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function createPlainLogger(o: PlainLoggerOptions): Logger {
  const color = o.color ?? false;
  const every = o.progressEveryMs ?? 5000;
  const now = o.now ?? (() => performance.now());
  const lastProgress = new Map<string, number>();
  const line = (s: string) => o.write(`${s}\n`);
  const label = (word: string, code: number) => paint(color, code, word.padEnd(8));
  return {
    event(e: PipeEvent) {
      switch (e.type) {
        case 'run-start':
        case 'stage-would-run':
          return;
        case 'stage-fresh':
          return line(`${label('fresh', 2)} ${e.stage}`);
        case 'stage-start':
          return line(`${label('running', 36)} ${e.stage}: ${e.reasonText.join('; ')}`);
        case 'stage-output':
          return line(`${paint(color, 2, `[${e.stage}]`)} ${e.line}`);
        case 'progress': {
          const t = now();
          const last = lastProgress.get(e.stage);
          const finished = e.total !== undefined && e.done >= e.total;
          if (last !== undefined && t - last < every && !finished) return;
          lastProgress.set(e.stage, t);
          const pct = e.total ? ` ${((100 * e.done) / e.total).toFixed(0)}%` : '';
          const count = formatProgress(e.done, e.total, e.unit);
          return line(`${paint(color, 2, `[${e.stage}]`)}${pct} ${count}${e.message ? ` — ${e.message}` : ''}`);
        }
        case 'stage-done':
          return line(`${label('done', 32)} ${e.stage} (${formatDuration(e.durationMs)})`);
        case 'stage-restored':
          return line(`${label('restored', 32)} ${e.stage} from the run-cache (${formatDuration(e.durationMs)})`);
        case 'stage-failed': {
          line(`${label('FAILED', 31)} ${e.stage}: ${e.error}`);
          if (e.stderrTail?.length) {
            line(`         last lines of stderr:`);
            for (const l of e.stderrTail) line(`         | ${l}`);
          }
          return;
        }
        case 'stage-skipped':
          return line(`${label('skipped', 33)} ${e.stage} (${e.because})`);
        case 'run-done': {
          const parts = [`${e.ran} ran`, ...(e.restored ? [`${e.restored} restored`] : []), `${e.fresh} fresh`, `${e.failed} failed`];
          if (e.skipped) parts.push(`${e.skipped} skipped`);
          const tail = e.interrupted ? ' (interrupted)' : '';
          return line(`${parts.join(', ')} in ${formatDuration(e.durationMs)}${tail}`);
        }
        default: {
          const never: never = e;
          return never;
        }
      }
    },
    close() {},
  };
}
