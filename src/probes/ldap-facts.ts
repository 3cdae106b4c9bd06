/** The AD fact types live in src/facts/ad.ts; this re-export keeps ldap-sasl.ts's import working. */
export type { AdConnectionProblem } from '../facts/ad.js';
