// Everything that happens in a run is a typed event handed to loggers (style.md §3); core code
// never prints. The NDJSON logger writes these objects as they are, so this union is also the
// machine-readable interface of `pipe repro --json`.
import type { Reason } from './plan/reasons.js';

export type PipeEvent =
  | { readonly type: 'run-start'; readonly stages: number; readonly jobs: number; readonly dry: boolean }
  | { readonly type: 'stage-fresh'; readonly stage: string }
  | { readonly type: 'stage-start'; readonly stage: string; readonly reasons: readonly Reason[]; readonly reasonText: readonly string[] }
  | { readonly type: 'stage-would-run'; readonly stage: string; readonly reasons: readonly Reason[]; readonly reasonText: readonly string[] }
  | { readonly type: 'stage-output'; readonly stage: string; readonly stream: 'stdout' | 'stderr'; readonly line: string }
  | {
      readonly type: 'progress';
      readonly stage: string;
      readonly done: number;
      readonly total?: number;
      readonly unit?: string;
      readonly message?: string;
    }
  | { readonly type: 'stage-done'; readonly stage: string; readonly durationMs: number }
  /** Stale, but a run with the same fingerprint was in the run-cache: outputs placed back. */
  | { readonly type: 'stage-restored'; readonly stage: string; readonly durationMs: number }
  | {
      readonly type: 'stage-failed';
      readonly stage: string;
      readonly durationMs: number;
      readonly error: string;
      readonly exitCode?: number;
      readonly stderrTail?: readonly string[];
    }
  | { readonly type: 'stage-skipped'; readonly stage: string; readonly because: string }
  | {
      readonly type: 'run-done';
      readonly ok: boolean;
      readonly ran: number;
      readonly restored: number;
      readonly fresh: number;
      readonly failed: number;
      readonly skipped: number;
      readonly durationMs: number;
      readonly interrupted: boolean;
    };

export type EventType = PipeEvent['type'];

export interface Logger {
  event(e: PipeEvent): void;
  /** Flushes whatever the logger buffers. */
  close(): void;
}

export function fanOut(loggers: readonly Logger[]): Logger {
  return {
    event: (e) => loggers.forEach((l) => l.event(e)),
    close: () => loggers.forEach((l) => l.close()),
  };
}
