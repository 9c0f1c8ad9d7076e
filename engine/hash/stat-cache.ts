// The stat cache: (size, mtime, inode) → content hash, kept under .pipe/, so an unchanged
// multi-GB file is re-checked with one stat() instead of being read again. ctime is deliberately
// not part of the key: storing an output in the cache hard-links it and makes it read-only, which
// changes its ctime but not its content, and must not cost a rehash of gigabytes next time.
//
// Racy timestamps: file systems stamp mtimes with a coarse clock (a jiffy on Linux, up to 2 s on
// some file systems), so a file rewritten with the same size within one tick of being hashed
// would look unchanged. Like git's "racily clean" rule, an entry is trusted only if the file's
// mtime was comfortably older than the moment it was hashed; otherwise the file is hashed again
// next time (and then trusted).
import { readFileSync, type BigIntStats } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.js';

const VERSION = 2;
const RACY_NS = 2_000_000_000n;

interface Entry {
  size: number;
  mtime: string;
  ino: string;
  hash: string;
  /** Wall-clock ns when the hash was taken. */
  at: string;
}

/** An entry's numbers as bigints, converted once: a status check looks up thousands of files. */
interface Parsed {
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  /** Whether the entry was taken comfortably after the mtime (see the racy rule above). */
  readonly settled: boolean;
}

export class StatCache {
  private entries = new Map<string, Entry>();
  private readonly parsed = new Map<string, Parsed>();
  private dirty = false;

  constructor(private readonly file: string | undefined) {
    if (!file) return;
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; entries?: Record<string, Entry> };
      if (raw.version === VERSION && raw.entries) this.entries = new Map(Object.entries(raw.entries));
    } catch {
      // Missing or unreadable cache: it is only an optimisation; start empty.
    }
  }

  lookup(path: string, st: BigIntStats): string | undefined {
    const e = this.entries.get(path);
    if (!e || e.size !== Number(st.size)) return undefined;
    let p = this.parsed.get(path);
    if (!p) {
      const mtimeNs = BigInt(e.mtime);
      p = { mtimeNs, ino: BigInt(e.ino), settled: BigInt(e.at) - mtimeNs >= RACY_NS };
      this.parsed.set(path, p);
    }
    if (p.mtimeNs !== st.mtimeNs || p.ino !== st.ino || !p.settled) return undefined;
    return e.hash;
  }

  store(path: string, st: BigIntStats, hash: string, hashedAtNs: bigint): void {
    this.parsed.delete(path);
    this.entries.set(path, {
      size: Number(st.size),
      mtime: String(st.mtimeNs),
      ino: String(st.ino),
      hash,
      at: String(hashedAtNs),
    });
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.dirty) return;
    const entries = Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : 1)));
    await writeFileAtomic(this.file, JSON.stringify({ version: VERSION, entries }));
    this.dirty = false;
  }
}
