// `data/extract/session_<id>/session.json` (stages/README.md), and the identity checks behind it:
// the file must be the session the pipeline says it is (binned-dataset.md §1: "a file whose
// identifier disagrees with its file name is reported") and of one of the two session types.

import { StageError } from '../../../engine/builtin/types.js';

export const SESSION_TYPES = ['brain_observatory_1.1', 'functional_connectivity'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];

export interface SessionInfo {
  readonly session_id: number;
  readonly session_type: SessionType;
  readonly identifier: string;
  readonly has_gaze: boolean;
}

export function sessionInfo(options: {
  readonly file: string;
  readonly sessionId: number;
  /** `/identifier`: the session id as text in Allen files. */
  readonly identifier: string;
  /** `/general/stimulus`. */
  readonly sessionType: string | undefined;
  readonly hasGaze: boolean;
}): SessionInfo {
  const { file, sessionId, identifier } = options;
  if (identifier.trim() !== String(sessionId)) {
    throw new StageError(
      `${file}: /identifier is '${identifier}', but the stage says session_id ${sessionId}`,
      'the file belongs to another session: check the nwb and session_id arguments, or delete the file and download it again',
    );
  }
  const type = SESSION_TYPES.find((t) => t === options.sessionType);
  if (type === undefined) {
    throw new StageError(
      `${file}: /general/stimulus is ${options.sessionType === undefined ? 'missing' : `'${options.sessionType}'`}; ` +
        `expected ${SESSION_TYPES.map((t) => `'${t}'`).join(' or ')}`,
      'this is not an Allen Visual Coding – Neuropixels session file',
    );
  }
  return { session_id: sessionId, session_type: type, identifier, has_gaze: options.hasGaze };
}

/** The file text: fixed key order, two-space indent, final newline (stable bytes). */
export function renderSessionJson(info: SessionInfo): string {
  const ordered: SessionInfo = {
    session_id: info.session_id,
    session_type: info.session_type,
    identifier: info.identifier,
    has_gaze: info.has_gaze,
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
