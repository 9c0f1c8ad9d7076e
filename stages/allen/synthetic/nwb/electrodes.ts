// /general/devices/probeX (EcephysProbe), /general/extracellular_ephys/probeX
// (EcephysElectrodeGroup, with a soft link `device`) and the electrodes DynamicTable
// (allen-nwb-layout.md §4.1–4.2).

import type { Channels, Probe } from '../ephys/probes.js';
import { AIBS_ECEPHYS, HDMF_COMMON, writeDynamicTable, type Nwb } from './conventions.js';

export const ELECTRODES = '/general/extracellular_ephys/electrodes';
const FILTERING = 'AP band: 500 Hz high-pass; LFP band: 1000 Hz low-pass';

export function writeProbes(nwb: Nwb, probes: readonly Probe[]): void {
  const { h5 } = nwb;
  for (const probe of probes) {
    const device = `/general/devices/${probe.name}`;
    nwb.container(device, AIBS_ECEPHYS, 'EcephysProbe', { description: 'Neuropixels 1.0 Probe', manufacturer: 'imec' });
    h5.attrI64(device, 'probe_id', probe.id);
    h5.attrF64(device, 'sampling_rate', probe.samplingRate);

    const group = `/general/extracellular_ephys/${probe.name}`;
    nwb.container(group, AIBS_ECEPHYS, 'EcephysElectrodeGroup', { description: 'Ecephys Electrode Group', location: 'See electrode locations' });
    h5.attrI64(group, 'probe_id', probe.id);
    h5.attrF64(group, 'lfp_sampling_rate', probe.lfpSamplingRate);
    h5.attrBool(group, 'has_lfp_data', probe.hasLfpData);
    h5.softLink(`${group}/device`, device);
  }
}

export function writeElectrodes(nwb: Nwb, opts: { readonly probes: readonly Probe[]; readonly channels: Channels }): void {
  const { probes, channels: ch } = opts;
  const n = ch.count;
  const probeOf = (r: number): Probe => probes[ch.probe[r] as number] as Probe;
  const i64 = (f: (r: number) => number): BigInt64Array => BigInt64Array.from({ length: n }, (_, r) => BigInt(f(r)));
  const f64 = (values: Float64Array, description: string) => ({ kind: 'f64' as const, values, description });
  writeDynamicTable(nwb, ELECTRODES, {
    namespace: HDMF_COMMON,
    type: 'DynamicTable',
    description: 'metadata about extracellular electrodes',
    ids: BigInt64Array.from(ch.id, BigInt),
    // Column order as in allen-nwb-layout.md §4.1 [INF]; descriptions are this generator's.
    columns: [
      { name: 'x', ...f64(ch.x, 'CCF anterior-posterior coordinate (um)') },
      { name: 'y', ...f64(ch.y, 'CCF dorsal-ventral coordinate (um)') },
      { name: 'z', ...f64(ch.y, 'CCF left-right coordinate (um); equals y in the released files') }, // = y: AllenSDK #1796
      { name: 'imp', ...f64(new Float64Array(n).fill(Number.NaN), 'channel impedance') },
      { name: 'location', description: 'brain structure acronym at the channel', kind: 'str', values: ch.location },
      { name: 'filtering', description: 'hardware filters of the channel', kind: 'str', values: new Array<string>(n).fill(FILTERING) },
      {
        name: 'group',
        description: 'the electrode group (probe) of the channel',
        kind: 'ref',
        targets: Array.from({ length: n }, (_, r) => `/general/extracellular_ephys/${probeOf(r).name}`),
      },
      { name: 'group_name', description: 'name of the electrode group (probe) of the channel', kind: 'str', values: Array.from({ length: n }, (_, r) => probeOf(r).name) },
      { name: 'probe_vertical_position', description: 'position along the shank (um)', kind: 'i64', values: i64((r) => ch.vertical[r] as number) },
      { name: 'probe_horizontal_position', description: 'position across the shank (um)', kind: 'i64', values: i64((r) => ch.horizontal[r] as number) },
      { name: 'probe_id', description: 'id of the probe', kind: 'i64', values: i64((r) => probeOf(r).id) },
      { name: 'local_index', description: 'channel number on the probe', kind: 'i64', values: i64((r) => ch.localIndex[r] as number) },
      { name: 'valid_data', description: 'whether the channel is usable', kind: 'bool', values: ch.valid },
    ],
  });
}
