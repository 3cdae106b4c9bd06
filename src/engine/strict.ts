/**
 * GMSA_DOCTOR_STRICT=1 (set for the test suite): a check that throws fails loudly instead of becoming an internal
 * error finding, and every fact a probe yields is validated against its schema. Off for users: a bug in one check
 * must not cost them the rest of the report.
 */
export function strict(): boolean {
  return process.env.GMSA_DOCTOR_STRICT === '1';
}
