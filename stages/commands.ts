// Commands the shipped stages add to `pipe` (the engine composes them, like the built-ins).
import type { ExtensionCommand } from '../engine/cli/extension.js';
import { accessCommand } from './commands/access.js';
import { syntheticCommand } from './commands/synthetic.js';

export const commands: readonly ExtensionCommand[] = [accessCommand, syntheticCommand];
