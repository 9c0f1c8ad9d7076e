#!/usr/bin/env node
// The `pipe` command. Parses arguments, dispatches, and maps outcomes to exit codes. A thrown
// exception reaching this level is a bug in pipe and is reported as such, with the version.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { pipeVersion } from '../util/package.js';
import { EXIT, type CliIO } from './io.js';
import { HELP } from './help.js';
import type { DagFormat } from '../dag/render.js';
import type { ExtensionCommand } from './extension.js';
import { isStageError, type StageError } from '../builtin/types.js';

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

const COMMON: Options = { help: { type: 'boolean', short: 'h' } };

const SPECS: Record<string, Options> = {
  repro: {
    ...COMMON,
    stage: { type: 'string', short: 's', multiple: true },
    force: { type: 'boolean', short: 'f' },
    dry: { type: 'boolean' },
    downstream: { type: 'boolean' },
    'keep-going': { type: 'boolean', short: 'k' },
    set: { type: 'string', short: 'S', multiple: true },
    jobs: { type: 'string', short: 'j' },
    json: { type: 'boolean' },
    'no-run-cache': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    watch: { type: 'boolean', short: 'w' },
  },
  status: { ...COMMON, set: { type: 'string', short: 'S', multiple: true }, json: { type: 'boolean' } },
  dag: { ...COMMON, format: { type: 'string' } },
  gc: { ...COMMON, dry: { type: 'boolean' } },
};

class UsageError extends Error {}

function parse(command: string, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: SPECS[command], allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(HELP[rest[0] ?? 'main'] ?? HELP.main!);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '-V' || command === '--version' || command === 'version') {
    io.stdout(`pipe ${pipeVersion()}\n`);
    return EXIT.ok;
  }
  if (!SPECS[command]) {
    const extensions = await io.commands();
    const ext = extensions.find((c) => c.name === command);
    if (ext) return runExtension(ext, rest, io);
    io.stderr(`error: unknown command '${command}'\n  hint: commands are ${[...Object.keys(SPECS), ...extensions.map((c) => c.name)].join(', ')}; see pipe --help\n`);
    return EXIT.usage;
  }
  try {
    const parsed = parse(command, rest);
    const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
    const positionals = parsed.positionals;
    if (v.help) {
      io.stdout(HELP[command]!);
      return EXIT.ok;
    }
    const targets = [...positionals, ...((v.stage as string[] | undefined) ?? [])];
    switch (command) {
      case 'repro': {
        let jobs = availableParallelism();
        if (v.jobs !== undefined) {
          jobs = Number(v.jobs);
          if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive whole number, got '${v.jobs}'`);
        }
        const args = {
          targets,
          force: v.force === true,
          dry: v.dry === true,
          downstream: v.downstream === true,
          keepGoing: v['keep-going'] === true,
          overrides: (v.set as string[] | undefined) ?? [],
          jobs,
          json: v.json === true,
          runCache: v['no-run-cache'] !== true,
          wait: v['no-wait'] !== true,
        };
        if (v.watch) {
          if (args.dry) throw new UsageError('--watch and --dry cannot be combined');
          const { reproWatch } = await import('./watch.js');
          return await reproWatch(io, args);
        }
        const { repro } = await import('./repro.js');
        return await repro(io, args);
      }
      case 'status': {
        const { status } = await import('./status.js');
        return await status(io, { targets, overrides: (v.set as string[] | undefined) ?? [], json: v.json === true });
      }
      case 'dag': {
        const format = (v.format ?? 'ascii') as string;
        if (!['ascii', 'mermaid', 'dot'].includes(format)) throw new UsageError(`--format must be ascii, mermaid or dot, got '${format}'`);
        const { dag } = await import('./dag.js');
        return await dag(io, { targets, format: format as DagFormat });
      }
      case 'gc': {
        if (positionals.length) throw new UsageError(`gc takes no targets, got '${positionals[0]}'`);
        const { gc } = await import('./gc.js');
        return await gc(io, { dry: v.dry === true });
      }
      default:
        return EXIT.usage;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n  hint: see pipe ${command} --help\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

async function runExtension(ext: ExtensionCommand, argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...ext.options }, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n  hint: see pipe ${ext.name} --help\n`);
    return EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout(ext.help);
    return EXIT.ok;
  }
  const n = parsed.positionals.length;
  if (n < ext.positionals.min || n > ext.positionals.max) {
    io.stderr(`error: pipe ${ext.name} takes ${ext.positionals.min === ext.positionals.max ? ext.positionals.min : `${ext.positionals.min} to ${ext.positionals.max}`} arguments, got ${n}\n  hint: see pipe ${ext.name} --help\n`);
    return EXIT.usage;
  }
  try {
    return await ext.run(io, { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals });
  } catch (e) {
    if (isStageError(e)) {
      io.stderr(`error: ${(e as Error).message}\n${(e as StageError).hint ? `  hint: ${(e as StageError).hint}\n` : ''}`);
      return EXIT.failure;
    }
    throw e;
  }
}

async function main() {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted); // a second Ctrl-C: stop waiting
    process.stderr.write(`\npipe: ${sig} received; stopping running stages (again to exit at once)\n`);
    controller.abort(new Error(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIO = {
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    isTTY: process.stdout.isTTY === true,
    columns: () => process.stdout.columns ?? 80,
    signal: controller.signal,
    shipped: async () => (await import('../../stages/index.js')).builtins,
    commands: async () => (await import('../../stages/commands.js')).commands,
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (e) {
    process.stderr.write(
      `pipe: internal error (pipe ${safeVersion()}, node ${process.version}). This is a bug; please report it with the output below.\n${(e as Error)?.stack ?? String(e)}\n`,
    );
    process.exitCode = EXIT.internal;
  }
}

function safeVersion(): string {
  try {
    return pipeVersion();
  } catch {
    return 'unknown';
  }
}

await main();
