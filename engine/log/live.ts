// The terminal view: completed events scroll as plain lines, and a status block at the bottom
// is redrawn in place (at most ten times a second) with stages done/total, elapsed time, an ETA,
// and each running stage with its own progress.
import type { Logger, PipeEvent } from '../events.js';
import { createPlainLogger } from './plain.js';
import { formatDuration, formatProgress } from './format.js';

export interface LiveOptions {
  readonly write: (s: string) => void;
  readonly columns: () => number;
  /** Expected duration of an item from earlier runs. */
  readonly expected: (stage: string) => number | undefined;
  readonly jobs: number;
  readonly now?: () => number;
}

interface Running {
  readonly started: number;
  progress?: { done: number; total?: number; unit?: string; message?: string };
}

const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface LiveLogger extends Logger {
  /** The items this run will consider, so the ETA can count the ones not started yet. */
  plan(items: readonly string[]): void;
}

export function createLiveLogger(o: LiveOptions): LiveLogger {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  let total = 0;
  let finished = 0;
  let pending: string[] = [];
  const running = new Map<string, Running>();
  const waiting = new Set<string>();
  let drawn = 0;
  let frame = 0;
  let timer: NodeJS.Timeout | undefined;
  // Clocks keep moving while a stage runs without reporting anything.
  let tick: NodeJS.Timeout | undefined;
  // Finished events are rendered exactly as in plain mode, but fresh stages are only counted:
  // a no-op run of a big pipeline should not scroll hundreds of 'fresh' lines.
  const plain = createPlainLogger({ write: (s) => pending.push(s), color: true, progressEveryMs: Number.POSITIVE_INFINITY });

  const eta = (): number | undefined => {
    let left = 0;
    for (const [stage, r] of running) {
      const elapsed = now() - r.started;
      const p = r.progress;
      if (p?.total) {
        const f = Math.min(1, p.done / p.total);
        if (f > 0.02) {
          left += (elapsed / f) * (1 - f);
          continue;
        }
      }
      const exp = o.expected(stage);
      if (exp === undefined) return undefined;
      left += Math.max(0, exp - elapsed);
    }
    for (const stage of waiting) {
      const exp = o.expected(stage);
      if (exp === undefined) return undefined;
      left += exp;
    }
    return left / Math.max(1, Math.min(o.jobs, running.size + waiting.size || 1));
  };

  const block = (): string[] => {
    const width = Math.max(40, o.columns());
    const e = eta();
    const head = `[${finished}/${total}] ${formatDuration(now() - t0)} elapsed${e !== undefined && (running.size || waiting.size) ? `, ETA ${formatDuration(e)}` : ''}`;
    const lines = [head];
    for (const [stage, r] of running) {
      const p = r.progress;
      let detail = '';
      if (p) {
        const pct = p.total ? `${((100 * p.done) / p.total).toFixed(0).padStart(3)}% ` : '';
        const count = formatProgress(p.done, p.total, p.unit);
        detail = `${pct}${count}${p.message ? ` — ${p.message}` : ''}`;
      }
      const line = `  ${SPIN[frame % SPIN.length]} ${stage}  ${formatDuration(now() - r.started)}  ${detail}`;
      lines.push(line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line);
    }
    return lines;
  };

  const redraw = () => {
    frame++;
    let out = drawn ? `\u001b[${drawn}A\u001b[0J` : '';
    out += pending.join('');
    pending = [];
    const b = block();
    out += b.join('\n') + '\n';
    drawn = b.length;
    o.write(out);
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      redraw();
    }, 100);
    timer.unref();
  };

  return {
    event(e: PipeEvent) {
      switch (e.type) {
        case 'run-start':
          total = e.stages;
          tick = setInterval(schedule, 500);
          tick.unref();
          return schedule();
        case 'stage-start':
          waiting.delete(e.stage);
          running.set(e.stage, { started: now() });
          plain.event(e);
          return schedule();
        case 'progress': {
          const r = running.get(e.stage);
          if (r) r.progress = { done: e.done, total: e.total, unit: e.unit, message: e.message };
          return schedule();
        }
        case 'stage-fresh':
          waiting.delete(e.stage);
          finished++;
          return schedule();
        case 'stage-done':
        case 'stage-restored':
        case 'stage-failed':
        case 'stage-skipped':
          waiting.delete(e.stage);
          running.delete(e.stage);
          finished++;
          plain.event(e);
          return schedule();
        case 'run-done':
          if (tick) clearInterval(tick);
          running.clear();
          plain.event(e);
          if (timer) clearTimeout(timer);
          timer = undefined;
          redraw();
          return;
        case 'stage-output':
        case 'stage-would-run':
          plain.event(e);
          return schedule();
        default: {
          const never: never = e;
          return never;
        }
      }
    },
    close() {
      if (tick) clearInterval(tick);
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending.length) redraw();
    },
    plan(items) {
      for (const i of items) waiting.add(i);
    },
  };
}
