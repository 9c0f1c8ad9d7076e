// Shared rendering of a status computation, for `pipe status` and `pipe repro --dry`, so the two
// always tell the same story.
import type { ItemStatus } from '../plan/status.js';
import { describeReason } from '../plan/reasons.js';

export function statusJson(status: readonly ItemStatus[]) {
  const listed = status.filter((s) => s.verdict !== 'fresh');
  return {
    stale: listed.map((s) => ({ stage: s.stage, verdict: s.verdict, reasons: s.reasons, reasonText: s.reasons.map(describeReason) })),
    counts: {
      stale: status.filter((s) => s.verdict === 'stale').length,
      upstream: status.filter((s) => s.verdict === 'upstream').length,
      fresh: status.filter((s) => s.verdict === 'fresh').length,
    },
  };
}

export function renderStatus(status: readonly ItemStatus[], mode: 'status' | 'dry'): string {
  const lines: string[] = [];
  for (const s of status) {
    if (s.verdict === 'fresh') continue;
    const word = mode === 'dry' ? (s.verdict === 'stale' ? 'would run' : 'may run') : s.verdict === 'stale' ? 'stale' : 'upstream';
    lines.push(`${word.padEnd(10)}${s.stage}: ${s.reasons.map(describeReason).join('; ')}`);
  }
  const stale = status.filter((s) => s.verdict === 'stale').length;
  const upstream = status.filter((s) => s.verdict === 'upstream').length;
  if (stale + upstream === 0) lines.push(mode === 'dry' ? 'Everything is up to date; nothing would run.' : 'Everything is up to date.');
  else if (mode === 'dry') {
    lines.push(`${stale} stage${stale === 1 ? '' : 's'} would run${upstream ? `, ${upstream} more if upstream outputs change` : ''}; nothing was changed.`);
  } else {
    lines.push(`${stale} stale${upstream ? `, ${upstream} downstream of stale stages` : ''}, ${status.length - stale - upstream} fresh.`);
  }
  return lines.join('\n') + '\n';
}
