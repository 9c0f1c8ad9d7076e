// Cold-cache measurements: the machine has far more memory than a session file, so after the
// file was written (or copied) every later read of it comes from the page cache. Dropping the
// cache needs root; where that is refused, both sides of a comparison are measured warm and the
// results say so (`coldCache: false`).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export interface PageCache {
  /** True when drop() really empties the page cache. */
  readonly cold: boolean;
  /** Flushes dirty pages and drops clean ones; only flushes when `cold` is false. */
  drop(): void;
  /**
   * Writes dirty pages out (sync) without dropping anything: after a multi-GB copy the kernel
   * would otherwise write it back during the next timed run, which then competes for the disk.
   */
  flush(): void;
}

function sync(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1): nothing to flush with
  }
}

function tryDrop(): boolean {
  sync();
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** `wanted: false` (quick mode, --warm) never touches the machine-wide cache. */
export function pageCache(options: { readonly wanted: boolean }): PageCache {
  const cold = options.wanted && tryDrop();
  return { cold, drop: () => void (cold ? tryDrop() : sync()), flush: sync };
}
