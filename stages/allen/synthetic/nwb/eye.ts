// Eye tracking (allen-nwb-layout.md §7.1). The rig metadata module exists in every session; the
// eye_tracking, raw_gaze_mapping and filtered_gaze_mapping modules only in sessions with usable
// eye video (715093703 has none, 766640955 all three).
//
// Samples come at the eye camera's ~30 Hz. Blinks (every 5–15 s, 0.1–0.4 s long) are NaN in the
// gaze mapping and the ellipse fits; the filtered mapping additionally drops the samples next to
// blinks and ~1% outliers. screen_coordinates columns are [y_cm, x_cm] and
// screen_coordinates_spherical [y_deg, x_deg]. All gaze TimeSeries share the timestamps of
// raw_gaze_mapping/eye_area through soft links (AllenSDK reads the gaze index from there) [INF].

import type { Rng } from '../random.js';
import { AIBS_ECEPHYS, HDMF_COMMON, rowIds, writeDynamicTable, writeTimeSeries, type Nwb } from './conventions.js';

const CAMERA_PERIOD_S = 1 / 30.0;
const EYE_TO_SCREEN_CM = 15;

export function writeRigMetadata(nwb: Nwb, rng: Rng): void {
  const { h5 } = nwb;
  nwb.processingModule('/processing/eye_tracking_rig_metadata', 'Eye tracking rig metadata');
  const path = '/processing/eye_tracking_rig_metadata/eye_tracking_rig_metadata';
  nwb.container(path, AIBS_ECEPHYS, 'EcephysEyeTrackingRigMetadata', { equipment: rng.pick(['NP.1', 'NP.3', 'NP.4']) });
  const vec = (values: number[], unit: string, name: string): void => {
    h5.f32(`${path}/${name}`, Float32Array.from(values));
    h5.attrStr(`${path}/${name}`, 'unit', unit);
  };
  vec([118.6 + rng.range(-1, 1), 86.2, 31.4], 'mm', 'monitor_position');
  vec([130 + rng.range(-1, 1), 0, 0], 'mm', 'camera_position');
  vec([246 + rng.range(-1, 1), -92.3, 52.6], 'mm', 'led_position');
  vec([0, 0, 0], 'deg', 'monitor_rotation');
  vec([0, 0, 13.1], 'deg', 'camera_rotation');
}

export function writeEyeTracking(nwb: Nwb, opts: { readonly from: number; readonly to: number; readonly rng: Rng }): void {
  const { rng } = opts;
  const n = Math.max(3, Math.floor((opts.to - opts.from) / CAMERA_PERIOD_S));
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = opts.from + i * CAMERA_PERIOD_S + rng.range(-1e-3, 1e-3);

  // Blinks and the wider mask of the filtered mapping.
  const blink = new Uint8Array(n);
  for (let s = opts.from + rng.range(1, 5); s < opts.to; s += rng.range(5, 15)) {
    const i0 = Math.floor((s - opts.from) / CAMERA_PERIOD_S);
    const len = Math.ceil(rng.range(0.1, 0.4) / CAMERA_PERIOD_S);
    for (let i = i0; i < Math.min(n, i0 + len); i++) blink[i] = 1;
  }
  const dropped = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    dropped[i] = blink[Math.max(0, i - 2)] || blink[i] || blink[Math.min(n - 1, i + 2)] || rng.chance(0.01) ? 1 : 0;
  }

  // Gaze in screen centimetres: fixations with saccades; pupil size follows a slow drift.
  const gazeX = new Float64Array(n);
  const gazeY = new Float64Array(n);
  const pupilR = new Float64Array(n);
  let x = 0;
  let y = 0;
  let r = 18;
  for (let i = 0; i < n; i++) {
    if (rng.chance(0.02)) {
      x = 3 * rng.normal();
      y = 2 * rng.normal();
    }
    r = Math.min(35, Math.max(8, r + 0.2 * rng.normal() + (18 - r) * 0.001));
    gazeX[i] = x + 0.05 * rng.normal();
    gazeY[i] = y + 0.05 * rng.normal();
    pupilR[i] = r;
  }

  const nanIf = (mask: Uint8Array, f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => (mask[i] ? Number.NaN : f(i)));
  const deg = (cm: number): number => (Math.atan2(cm, EYE_TO_SCREEN_CM) * 180) / Math.PI;

  // Ellipse fits (half-axes, AllenSDK doubles them); NaN where the fit failed (blinks).
  nwb.processingModule('/processing/eye_tracking', 'Eye tracking processing module');
  const fits: readonly (readonly [string, number, number, number])[] = [
    ['pupil_ellipse_fits', 320, 240, 0],
    ['cr_ellipse_fits', 300, 230, 4],
    ['eye_ellipse_fits', 310, 245, 110],
  ];
  for (const [name, cx, cy, size] of fits) {
    const isPupil = name === 'pupil_ellipse_fits';
    const half = (i: number, k: number): number => (isPupil ? (pupilR[i] as number) * k : size * k + rng.range(-0.5, 0.5));
    writeDynamicTable(nwb, `/processing/eye_tracking/${name}`, {
      namespace: HDMF_COMMON,
      type: 'DynamicTable',
      description: `${name.replace('_ellipse_fits', '')} ellipse fits from the eye video`,
      ids: rowIds(n),
      columns: [
        { name: 'center_x', description: 'no description', kind: 'f64', values: nanIf(blink, (i) => cx + 8 * (gazeX[i] as number)) },
        { name: 'center_y', description: 'no description', kind: 'f64', values: nanIf(blink, (i) => cy - 8 * (gazeY[i] as number)) },
        { name: 'height', description: 'no description', kind: 'f64', values: nanIf(blink, (i) => half(i, 0.9)) },
        { name: 'phi', description: 'no description', kind: 'f64', values: nanIf(blink, () => rng.range(-0.3, 0.3)) },
        { name: 'width', description: 'no description', kind: 'f64', values: nanIf(blink, (i) => half(i, 1)) },
        { name: 'timestamps', description: 'no description', kind: 'f64', values: t },
      ],
    });
  }

  const timestampsLink = { link: '/processing/raw_gaze_mapping/eye_area/timestamps' };
  for (const [module, mask, description] of [
    ['raw_gaze_mapping', blink, 'Gaze mapping processing module raw outputs'],
    ['filtered_gaze_mapping', dropped, 'Gaze mapping processing module filtered outputs'],
  ] as const) {
    const base = `/processing/${module}`;
    nwb.processingModule(base, description);
    const raw = module === 'raw_gaze_mapping';
    writeTimeSeries(nwb, `${base}/eye_area`, { data: nanIf(mask, () => Math.PI * 110 * 99 + rng.range(-50, 50)), timestamps: raw ? t : timestampsLink, unit: 'Pixels ^ 2' });
    writeTimeSeries(nwb, `${base}/pupil_area`, { data: nanIf(mask, (i) => Math.PI * (pupilR[i] as number) ** 2 * 0.9), timestamps: timestampsLink, unit: 'Pixels ^ 2' });
    const cm = new Float64Array(2 * n);
    const sph = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const gy = mask[i] ? Number.NaN : (gazeY[i] as number);
      const gx = mask[i] ? Number.NaN : (gazeX[i] as number);
      cm[2 * i] = gy;
      cm[2 * i + 1] = gx;
      sph[2 * i] = deg(gy);
      sph[2 * i + 1] = deg(gx);
    }
    writeTimeSeries(nwb, `${base}/screen_coordinates`, { data: cm, shape: [n, 2], timestamps: timestampsLink, unit: 'Centimeters' });
    writeTimeSeries(nwb, `${base}/screen_coordinates_spherical`, { data: sph, shape: [n, 2], timestamps: timestampsLink, unit: 'Degrees' });
  }
}
