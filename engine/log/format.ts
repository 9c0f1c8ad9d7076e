export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatCount(n: number, unit?: string): string {
  if (unit === 'bytes') {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = n;
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${v.toFixed(i ? 1 : 0)} ${units[i]}`;
  }
  return unit ? `${n} ${unit}` : String(n);
}

/** `12/30 units`, or `1.2 GB of 2.9 GB` for bytes. */
export function formatProgress(done: number, total: number | undefined, unit?: string): string {
  if (total === undefined) return formatCount(done, unit);
  if (unit === 'bytes') return `${formatCount(done, unit)} of ${formatCount(total, unit)}`;
  return `${done}/${total}${unit ? ` ${unit}` : ''}`;
}
