// The benchmark runs the repository's own pipeline.yaml, changed only in the parameters that say
// which sessions to build and where they come from. The change is made on the text, line by line,
// so every stage definition stays byte-for-byte what users run; a line that is not found exactly
// once stops the benchmark instead of silently measuring some other pipeline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './pipe-cli.js';

export interface PipelineChanges {
  readonly sessions: readonly number[];
  /** A local AllenSDK-style cache directory (absolute); default: the synthetic source. */
  readonly localDir?: string;
  /** params.synthetic.scale, for the synthetic source. */
  readonly syntheticScale?: number;
}

export function repoPipelineText(): string {
  return readFileSync(join(ROOT, 'pipeline.yaml'), 'utf8');
}

function replaceOnce(text: string, pattern: RegExp, line: string, what: string): string {
  const matches = text.match(new RegExp(pattern.source, 'gm'));
  if (matches?.length !== 1) {
    throw new Error(`pipeline.yaml: expected exactly one line for ${what} (${pattern.source}), found ${matches?.length ?? 0}; update bench/lib/pipeline-text.ts`);
  }
  return text.replace(new RegExp(pattern.source, 'm'), line);
}

export function derivePipeline(text: string, c: PipelineChanges): string {
  let out = replaceOnce(text, /^  sessions: \[[^\]\n]*\]$/, `  sessions: [${c.sessions.join(', ')}]`, 'params.sessions');
  if (c.localDir !== undefined) {
    out = replaceOnce(out, /^    kind: synthetic$/, '    kind: local', 'params.source.kind');
    // A JSON string is a valid YAML double-quoted scalar.
    out = replaceOnce(out, /^    dir: ""$/, `    dir: ${JSON.stringify(c.localDir)}`, 'params.source.dir');
  }
  if (c.syntheticScale !== undefined) {
    out = replaceOnce(out, /^    scale: [0-9.]+$/, `    scale: ${c.syntheticScale}`, 'params.synthetic.scale');
  }
  return out;
}
