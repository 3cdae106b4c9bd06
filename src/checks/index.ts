import type { Check } from '../engine/check.js';
import { assertValidRegistry } from '../engine/check.js';
import { ACCOUNT_CHECKS } from './account.js';
import { CONTAINER_CHECKS } from './container.js';
import { CREDSPEC_CHECKS } from './credspec.js';
import { credspecMatchesDomainCheck } from './credspec-domain.js';
import { EVENT_CHECKS } from './events.js';
import { HOST_CHECKS } from './host.js';
import { KNOWN_ISSUE_CHECKS } from './known-issues.js';
import { NETWORK_CHECKS } from './network.js';
import { PASSWORD_ACCESS_CHECKS } from './password-access.js';

/** Every check, in the guide's order. One import per check family (one file per section of the guide). */
export const ALL_CHECKS: readonly Check[] = [
  ...KNOWN_ISSUE_CHECKS,
  ...HOST_CHECKS,
  ...PASSWORD_ACCESS_CHECKS,
  ...CREDSPEC_CHECKS,
  credspecMatchesDomainCheck,
  ...NETWORK_CHECKS,
  ...CONTAINER_CHECKS,
  ...ACCOUNT_CHECKS,
  ...EVENT_CHECKS,
];

assertValidRegistry(ALL_CHECKS);
