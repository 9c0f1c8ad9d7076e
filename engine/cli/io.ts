// The CLI's connection to the outside world, injected so commands are testable in-process too.
import type { Diagnostic } from '../diagnostics.js';
import { renderDiagnostic } from '../diagnostics.js';
import type { BuiltinDescriptor } from '../builtin/types.js';
import type { ExtensionCommand } from './extension.js';

export interface CliIO {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  readonly isTTY: boolean;
  /** Terminal width, for the live view. */
  readonly columns: () => number;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  readonly shipped: () => Promise<readonly BuiltinDescriptor[]>;
  /** Commands contributed by the shipped stages. */
  readonly commands: () => Promise<readonly ExtensionCommand[]>;
}

export const EXIT = { ok: 0, failure: 1, usage: 2, internal: 3, interrupted: 130 } as const;

export function reportDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[]): number {
  io.stderr(diagnostics.map(renderDiagnostic).join('\n') + '\n');
  if (diagnostics.length > 1) io.stderr(`${diagnostics.length} errors; nothing was run.\n`);
  return EXIT.usage;
}
