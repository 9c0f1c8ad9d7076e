import { readFileSync } from 'node:fs';

/** Kernel start time of a process (field 22 of /proc/<pid>/stat), or undefined off Linux. */
export function procStartOf(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name (which may itself contain spaces).
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
