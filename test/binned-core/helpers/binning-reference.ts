// The §6 rule written down literally, O(spikes × cells): for presentation p and bin j, count the
// spikes t with lo <= t <= hi, where lo = s_p + edge[j], hi = s_p + edge[j+1], both clipped to
// stop_p for movies. Returns counts in (presentation, bin) order.

export function referenceCounts(options: {
  spikes: ArrayLike<number>;
  startTime: ArrayLike<number>;
  stopTime: ArrayLike<number>;
  edges: ArrayLike<number>;
  clipToStop: boolean;
}): number[][] {
  const { spikes, startTime, stopTime, edges, clipToStop } = options;
  const result: number[][] = [];
  for (let p = 0; p < startTime.length; p++) {
    const row: number[] = [];
    for (let j = 0; j + 1 < edges.length; j++) {
      let lo = startTime[p]! + edges[j]!;
      let hi = startTime[p]! + edges[j + 1]!;
      if (clipToStop) {
        lo = Math.min(lo, stopTime[p]!);
        hi = Math.min(hi, stopTime[p]!);
      }
      let count = 0;
      for (let k = 0; k < spikes.length; k++) if (lo <= spikes[k]! && spikes[k]! <= hi) count++;
      row.push(count);
    }
    result.push(row);
  }
  return result;
}
