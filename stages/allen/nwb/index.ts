// Public surface of the NWB session reader (I/O only; see types.ts for what is and is not done).

export { NwbSessionFile, openNwbSession, readNwbSession, withNwbSession, type ReadSessionOptions } from './session.js';
export type * from './types.js';
