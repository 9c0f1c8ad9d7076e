// `pipe dag [TARGET...] [--format ascii|mermaid|dot]`.
import { loadPipeline } from './workspace.js';
import { EXIT, reportDiagnostics, type CliIO } from './io.js';
import { select } from '../plan/select.js';
import { renderDag, type DagFormat } from '../dag/render.js';

export async function dag(io: CliIO, a: { targets: readonly string[]; format: DagFormat }): Promise<number> {
  const loaded = await loadPipeline({ cwd: io.cwd, shipped: io.shipped, env: io.env });
  if (!loaded.ok) return reportDiagnostics(io, loaded.diagnostics);
  const selection = select(loaded.value, { targets: a.targets });
  if (!selection.ok) return reportDiagnostics(io, selection.diagnostics);
  io.stdout(renderDag(loaded.value, a.format, a.targets.length ? new Set(selection.value) : undefined));
  return EXIT.ok;
}
