// The terminal view, driven with a fake clock: a status block redrawn in place with done/total,
// each running stage's progress, and an ETA from earlier durations.
import { describe, expect, it, vi } from 'vitest';
import { createLiveLogger } from '../../engine/log/live.js';

describe('live view', () => {
  it('redraws a block with progress and an ETA, and scrolls finished stages above it', () => {
    vi.useFakeTimers();
    try {
      let t = 0;
      let raw = '';
      // Colours stripped; cursor movement kept.
      const text = () => raw.replace(/\u001b\[[0-9;]*m/g, '');
      const expected: Record<string, number> = { 'bin@a': 10_000, 'bin@b': 10_000, report: 2_000 };
      const live = createLiveLogger({ write: (s) => (raw += s), columns: () => 100, expected: (s) => expected[s], jobs: 2, now: () => t });
      live.plan(['bin@a', 'bin@b', 'report']);
      live.event({ type: 'run-start', stages: 3, jobs: 2, dry: false });
      live.event({ type: 'stage-start', stage: 'bin@a', reasons: [], reasonText: ['param params.bin_width 0.02 → 0.01'] });
      t = 4000;
      live.event({ type: 'progress', stage: 'bin@a', done: 1000, total: 2000, unit: 'units' });
      vi.advanceTimersByTime(150);
      // bin@a: half done in 4 s → 4 s left; bin@b 10 s; report 2 s; two at a time → 8 s.
      expect(text()).toContain('running  bin@a: param params.bin_width 0.02 → 0.01\n');
      expect(text()).toContain('[0/3] 4.00s elapsed, ETA 8.00s\n');
      expect(text()).toMatch(/ {2}. bin@a {2}4\.00s {3}50% 1000\/2000 units\n$/);
      raw = '';
      t = 8000;
      live.event({ type: 'stage-done', stage: 'bin@a', durationMs: 8000 });
      vi.advanceTimersByTime(150);
      // The old block (2 lines) is erased, the finished stage scrolls above the new block.
      expect(raw.startsWith('\u001b[2A\u001b[0J')).toBe(true);
      expect(text()).toContain('done     bin@a (8.00s)\n');
      expect(text()).toContain('[1/3] 8.00s elapsed');
      live.event({ type: 'run-done', ok: true, ran: 1, restored: 0, fresh: 0, failed: 0, skipped: 0, durationMs: 8000, interrupted: false });
      expect(text()).toContain('1 ran, 0 fresh, 0 failed in 8.00s\n');
      live.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
