export const HELP: Record<string, string> = {
  main: `pipe — declarative, content-hashed dataflow pipelines

Usage: pipe <command> [options]

Commands:
  repro [TARGET...]   run the stale stages needed to bring the targets up to date
  status [TARGET...]  list stale stages and why (exit 1 if any)
  dag [TARGET...]     show the stage graph
  gc [--dry]          remove cached outputs that data.lock no longer references
  access ...          export per-session .npy arrays from the binned dataset
  synthetic ...       write a synthetic Allen session file (for benchmarks)

Options:
  -h, --help          show help (also: pipe <command> --help)
  -V, --version       print the version

pipe reads pipeline.yaml from the current directory or the nearest one above it,
and records what it observed in data.lock next to it.

Exit codes: 0 success, 1 a stage failed (status: something is stale),
2 configuration or usage error, 3 internal error, 130 interrupted.
`,
  repro: `Usage: pipe repro [TARGET...] [options]

Runs every stage item needed by the targets whose inputs, parameters, command or
outputs changed since data.lock recorded them, upstream first. TARGET is a stage
name (all its items), one item 'name@key', or omitted for the whole pipeline.

Options:
  -s, --stage TARGET      a target (repeatable; same as a positional TARGET)
  -f, --force             run the selected stages even if fresh; rebuilds a corrupt data.lock
      --dry               list what would run and why; change nothing
      --downstream        also run the stages below the targets
  -k, --keep-going        after a failure, keep running stages that do not depend on it
  -S, --set params.K=V    override a parameter for this run (V is YAML; repeatable)
  -j, --jobs N            run up to N stages at once (default: number of cores)
      --no-run-cache      always run stale stages; do not restore them from the cache
      --no-wait           fail at once if another pipe repro runs in this workspace
  -w, --watch             after the run, watch pipeline.yaml and the source deps
                          and run again on every change, until Ctrl-C
      --json              write one JSON event per line instead of text
  -h, --help              show this help
`,
  status: `Usage: pipe status [TARGET...] [options]

Lists each stale stage item and why: 'param params.bin_width 0.02 → 0.01',
'dep data/x.arrow modified', 'out data/y.h5 missing', 'command changed'.
Stages below a stale stage are listed as 'upstream'. Exit 0 when everything is
fresh, 1 when something is stale.

Options:
  -S, --set params.K=V    evaluate with a parameter overridden
      --json              machine-readable output
  -h, --help              show this help
`,
  gc: `Usage: pipe gc [--dry]

Removes from the output cache every object that data.lock does not reference,
and every run record that needs a removed object, then reports the space freed.
With a shared cache (PIPE_CACHE_DIR), only this workspace's data.lock counts.

Options:
      --dry               report what would be removed; remove nothing
  -h, --help              show this help
`,
  dag: `Usage: pipe dag [TARGET...] [--format ascii|mermaid|dot]

Prints the analyzed stage graph (of the targets and everything upstream of
them, or of the whole pipeline).

Options:
      --format F          ascii (default), mermaid or dot
  -h, --help              show this help
`,
};
