// The NWBFile root, /general (session metadata, subject) and /specifications
// (allen-nwb-layout.md §0.1, §2).
//
// AllenSDK reads the session id as int(/identifier) and the session type from /general/stimulus.
// Dates: the released files were written on 2020-05-26 [REAL: file_create_date]; session start
// times are 2019 Pacific time. isodatetime fields are vlen ASCII, everything else vlen UTF-8.
//
// /specifications holds the three cached namespaces with the real names and versions. Their
// documents are abridged: each namespace lists its sources, and only the ndx-aibs-ecephys types
// are described (from §4.2, §7.1); the core and hdmf-common schema texts are not reproduced.

import type { Rng } from '../random.js';
import type { SessionType } from '../timeline/catalog.js';
import { AIBS_ECEPHYS, CORE, type Nwb } from './conventions.js';

export interface SessionDates {
  readonly sessionStart: string;
  readonly fileCreate: string;
  /** Epoch milliseconds of the file creation: the pinned clock while writing. */
  readonly fileCreateMs: number;
}

export function drawDates(rng: Rng): SessionDates {
  const startMs = Date.UTC(2019, 0, 1) + rng.int(360) * 86_400_000 + rng.int(86_400) * 1000;
  // Pacific time: PDT (-07:00) from mid-March to early November, PST (-08:00) otherwise.
  const month = new Date(startMs).getUTCMonth();
  const startOffset = month >= 3 && month <= 9 ? -7 : -8;
  const createMs = Date.UTC(2020, 4, 26, 7) + rng.int(12 * 3600) * 1000 + rng.int(1000);
  const micro = String((createMs % 1000) * 1000 + rng.int(1000)).padStart(6, '0');
  return {
    sessionStart: isoLocal(startMs, startOffset, ''),
    fileCreate: isoLocal(createMs, -7, `.${micro}`),
    fileCreateMs: createMs,
  };
}

function isoLocal(utcMs: number, offsetHours: number, fraction: string): string {
  const local = new Date(utcMs + offsetHours * 3_600_000).toISOString().slice(0, 19);
  const sign = offsetHours < 0 ? '-' : '+';
  return `${local}${fraction}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
}

export function writeRoot(nwb: Nwb, opts: { readonly sessionId: number; readonly sessionType: SessionType; readonly dates: SessionDates; readonly rng: Rng }): void {
  const { h5 } = nwb;
  const { sessionId, sessionType, dates, rng } = opts;
  writeSpecifications(nwb);
  nwb.typed('/', CORE, 'NWBFile');
  h5.attrStr('/', 'nwb_version', '2.2.2');
  h5.attrRef('/', '.specloc', '/specifications');

  for (const g of ['/acquisition', '/analysis', '/general', '/intervals', '/processing', '/stimulus', '/stimulus/presentation', '/stimulus/templates']) h5.group(g);
  h5.strs('/file_create_date', [dates.fileCreate], { ascii: true });
  h5.strScalar('/identifier', String(sessionId));
  h5.strScalar('/session_description', 'Data and metadata for an Ecephys session');
  h5.strScalar('/session_start_time', dates.sessionStart, { ascii: true });
  h5.strScalar('/timestamps_reference_time', dates.sessionStart, { ascii: true });

  h5.strScalar('/general/institution', 'Allen Institute for Brain Science');
  h5.strScalar('/general/session_id', String(sessionId));
  h5.strScalar('/general/stimulus', sessionType);
  h5.group('/general/devices');
  h5.group('/general/extracellular_ephys');

  // EcephysSpecimen (ndx-aibs-ecephys): datasets plus specimen attributes.
  const ageDays = 90 + rng.int(60);
  const transgenic = rng.chance(0.4);
  nwb.container('/general/subject', AIBS_ECEPHYS, 'EcephysSpecimen');
  h5.attrF64('/general/subject', 'age_in_days', ageDays);
  const specimenId = 700_000_000 + rng.int(90_000_000);
  h5.attrStr('/general/subject', 'specimen_name', `${transgenic ? 'Sst-IRES-Cre;Ai32' : 'C57BL6J'}-${400_000 + rng.int(100_000)}`);
  h5.attrStr('/general/subject', 'strain', 'C57BL/6J');
  h5.strScalar('/general/subject/age', `P${ageDays}D`);
  h5.strScalar('/general/subject/genotype', transgenic ? 'Sst-IRES-Cre/wt;Ai32(RCL-ChR2(H134R)_EYFP)/wt' : 'wt/wt');
  h5.strScalar('/general/subject/sex', rng.chance(0.5) ? 'M' : 'F');
  h5.strScalar('/general/subject/species', 'Mus musculus');
  h5.strScalar('/general/subject/subject_id', String(specimenId));
}

/** Cached namespaces, as hdmf writes them with cache_spec=True: one JSON text per document. */
function writeSpecifications(nwb: Nwb): void {
  const { h5 } = nwb;
  const namespaces: readonly (readonly [string, string, readonly string[], string])[] = [
    [CORE, '2.2.2', ['nwb.base', 'nwb.behavior', 'nwb.ecephys', 'nwb.epoch', 'nwb.file', 'nwb.misc'], 'NWB core (abridged cache)'],
    ['hdmf-common', '1.1.3', ['table', 'sparse'], 'hdmf-common (abridged cache)'],
    [AIBS_ECEPHYS, '0.2.0', [`${AIBS_ECEPHYS}.extension`], 'AIBS ecephys extension (abridged cache)'],
  ];
  h5.group('/specifications');
  for (const [name, version, sources, doc] of namespaces) {
    h5.group(`/specifications/${name}`);
    const dir = `/specifications/${name}/${version}`;
    h5.group(dir);
    const ns = { namespaces: [{ name, version, doc, schema: sources.map((source) => ({ source })) }] };
    h5.strScalar(`${dir}/namespace`, JSON.stringify(ns));
    for (const source of sources) h5.strScalar(`${dir}/${source}`, JSON.stringify(name === AIBS_ECEPHYS ? AIBS_TYPES : { groups: [] }));
  }
}

/** The ndx-aibs-ecephys types as this file uses them (allen-nwb-layout.md §4.2, §7.1). */
const AIBS_TYPES = {
  groups: [
    { neurodata_type_def: 'EcephysProbe', neurodata_type_inc: 'Device', doc: 'Neuropixels probe', attributes: [{ name: 'sampling_rate', dtype: 'float64' }, { name: 'probe_id', dtype: 'int64' }] },
    {
      neurodata_type_def: 'EcephysElectrodeGroup',
      neurodata_type_inc: 'ElectrodeGroup',
      doc: 'electrodes of one probe',
      attributes: [{ name: 'probe_id', dtype: 'int64' }, { name: 'lfp_sampling_rate', dtype: 'float64' }, { name: 'has_lfp_data', dtype: 'bool' }],
    },
    { neurodata_type_def: 'EcephysSpecimen', neurodata_type_inc: 'Subject', doc: 'specimen', attributes: [{ name: 'specimen_name', dtype: 'text' }, { name: 'age_in_days', dtype: 'float' }, { name: 'strain', dtype: 'text' }] },
    {
      neurodata_type_def: 'EcephysEyeTrackingRigMetadata',
      neurodata_type_inc: 'NWBDataInterface',
      doc: 'eye tracking rig geometry',
      attributes: [{ name: 'equipment', dtype: 'text' }],
      datasets: ['monitor_position', 'camera_position', 'led_position', 'monitor_rotation', 'camera_rotation'].map((name) => ({ name, dtype: 'float32', shape: [3] })),
    },
  ],
};
