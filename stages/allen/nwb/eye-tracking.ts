// Eye tracking in VCN session files (allen-nwb-layout §7.1): three ellipse-fit DynamicTables under
// /processing/eye_tracking (present only for sessions whose tracking passed QC) and the rig
// geometry under /processing/eye_tracking_rig_metadata (present even without tracking). The
// VBN/OpenScope `/acquisition/EyeTracking` layout (§7.4) does not occur in VCN files.

import type { H5File } from './h5file.js';
import { pickNumeric, readColumnSet, readTableLayout } from './dynamic-table.js';
import { isNumericClass, readNumeric, typeClass } from './h5read.js';
import type { EllipseFits, EyeTracking, RigGeometry } from './types.js';

export const EYE_TRACKING_PATH = '/processing/eye_tracking';
export const RIG_METADATA_PATH = '/processing/eye_tracking_rig_metadata/eye_tracking_rig_metadata';

export function readEyeTracking(h5: H5File): EyeTracking {
  const hasModule = h5.optionalGroup(EYE_TRACKING_PATH) !== undefined;
  const fits = (name: string): EllipseFits | undefined => (hasModule ? readEllipseFits(h5, `${EYE_TRACKING_PATH}/${name}`) : undefined);
  return {
    pupil: fits('pupil_ellipse_fits'),
    cornealReflection: fits('cr_ellipse_fits'),
    eye: fits('eye_ellipse_fits'),
    rig: readRig(h5),
  };
}

/** Raw stored values: `height` and `width` are half-axes (AllenSDK doubles them when reading). */
function readEllipseFits(h5: H5File, path: string): EllipseFits | undefined {
  if (h5.optionalGroup(path) === undefined) return undefined;
  const layout = readTableLayout(h5, path);
  const columns = readColumnSet(h5, layout);
  const col = (name: string): Float64Array | undefined => pickNumeric(h5, path, columns, name);
  return {
    path,
    rows: layout.rows,
    timestamps: col('timestamps'),
    centerX: col('center_x'),
    centerY: col('center_y'),
    height: col('height'),
    width: col('width'),
    phi: col('phi'),
  };
}

function readRig(h5: H5File): EyeTracking['rig'] {
  if (h5.optionalGroup(RIG_METADATA_PATH) === undefined) return undefined;
  const geometry = new Map<string, RigGeometry>();
  for (const name of h5.childNames(RIG_METADATA_PATH).sort()) {
    const path = `${RIG_METADATA_PATH}/${name}`;
    if (h5.entity(path).kind !== 'dataset' || !isNumericClass(typeClass(h5, h5.metadata(path)))) continue;
    geometry.set(name, { values: readNumeric(h5, path).values, unit: h5.attrString(path, 'unit') });
  }
  return { path: RIG_METADATA_PATH, equipment: h5.attrString(RIG_METADATA_PATH, 'equipment'), geometry };
}
