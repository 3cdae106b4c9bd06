export { decodeStatus } from './decode.js';
export { findStatusCodes, MAX_SEARCH_CHARS, type FoundStatusCode, type StatusForm } from './find.js';
export { decodeAdSubcode, decodeName, decodeNumber, hex32 } from './interpret.js';
export { BY_NAME, TABLES, lookupName } from './registry.js';
export { AD_BIND_SUBCODES } from './tables/ldap.js';
export type { StatusCandidate, StatusEntry, StatusHint, StatusKind } from './types.js';
export { findStatusByText } from './text.js';
