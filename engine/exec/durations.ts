// How long each stage item took the last time it ran, kept under .pipe/ for ETAs. Items never
// run before are estimated from the other items of the same fan-out stage.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic.js';

export class Durations {
  private readonly byItem = new Map<string, number>();
  /** Mean duration per fan-out stage ('name@'), computed once per change: asked for every item. */
  private groupMeans: Map<string, number> | undefined;
  private dirty = false;

  constructor(private readonly file: string) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as { items?: Record<string, number> };
      for (const [k, v] of Object.entries(raw.items ?? {})) if (typeof v === 'number') this.byItem.set(k, v);
    } catch {
      // no history yet
    }
  }

  /** Expected duration in ms, or undefined when nothing similar has run before. */
  expected(item: string): number | undefined {
    const own = this.byItem.get(item);
    if (own !== undefined) return own;
    const at = item.indexOf('@');
    if (at < 0) return undefined;
    if (!this.groupMeans) {
      const sums = new Map<string, { sum: number; n: number }>();
      for (const [k, v] of this.byItem) {
        const i = k.indexOf('@');
        if (i < 0) continue;
        const group = k.slice(0, i + 1);
        const s = sums.get(group) ?? { sum: 0, n: 0 };
        s.sum += v;
        s.n++;
        sums.set(group, s);
      }
      this.groupMeans = new Map([...sums].map(([g, s]) => [g, s.sum / s.n]));
    }
    return this.groupMeans.get(item.slice(0, at + 1));
  }

  record(item: string, ms: number): void {
    this.byItem.set(item, Math.round(ms));
    this.groupMeans = undefined;
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const items = Object.fromEntries([...this.byItem].sort(([a], [b]) => (a < b ? -1 : 1)));
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, items }));
  }
}
