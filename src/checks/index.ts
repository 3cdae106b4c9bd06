import type { Check } from '../engine/check.js';
import { assertValidRegistry } from '../engine/check.js';
import { CREDSPEC_CHECKS } from './credspec.js';
import { EVENT_CHECKS } from './events.js';

/** Every check, in the guide's order. One import per check family (one file per section of the guide). */
export const ALL_CHECKS: readonly Check[] = [
  ...CREDSPEC_CHECKS,
  ...EVENT_CHECKS,
];

assertValidRegistry(ALL_CHECKS);
