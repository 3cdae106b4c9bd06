export {
  recognise,
  MAX_PASTE_SIZE,
  MAX_ITEMS,
  MAX_UNRECOGNISED_LINES,
  PasteTooLargeError,
  RECOGNISERS,
  type Recognised,
  type BlockSummary,
} from './recognise.js';
export { normalise, decodePaste, type Normalised, type NormalisedLine } from './normalise.js';
export { segment, type Block } from './segment.js';
export { summarise, type EvidenceSummary } from './summarise.js';
export type * from './types.js';
export {
  factsOfEvidence,
  eventRecordOf,
  originKey,
  PASTE_SOURCE,
  PASTED_CONTAINER,
  type PasteFacts,
  type ExportedEvents,
} from './facts.js';
