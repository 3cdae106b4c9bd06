import { MEANING as M } from '../meanings.js';
import type { StatusEntry } from '../types.js';

/**
 * LDAP result codes: the names of winldap.h's LDAP_RETCODE, the text is the RFC 4511 resultCode name (0-80); 81 and up
 * are client-side codes of the Windows LDAP client (winldap.h), never sent by a server.
 */
export const LDAP_TABLE: readonly StatusEntry[] = [
  { value: 0x00, name: 'LDAP_SUCCESS', text: 'success', meaning: M.success },
  { value: 0x01, name: 'LDAP_OPERATIONS_ERROR', text: 'operationsError', meaning: M.ldapBindFirst },
  { value: 0x02, name: 'LDAP_PROTOCOL_ERROR', text: 'protocolError' },
  { value: 0x03, name: 'LDAP_TIMELIMIT_EXCEEDED', text: 'timeLimitExceeded', meaning: M.ldapTimeout },
  { value: 0x04, name: 'LDAP_SIZELIMIT_EXCEEDED', text: 'sizeLimitExceeded' },
  { value: 0x05, name: 'LDAP_COMPARE_FALSE', text: 'compareFalse' },
  { value: 0x06, name: 'LDAP_COMPARE_TRUE', text: 'compareTrue' },
  {
    value: 0x07,
    name: 'LDAP_AUTH_METHOD_NOT_SUPPORTED',
    text: 'authMethodNotSupported',
    meaning: M.strongerAuthRequired,
  },
  { value: 0x08, name: 'LDAP_STRONG_AUTH_REQUIRED', text: 'strongerAuthRequired', meaning: M.strongerAuthRequired },
  { value: 0x0a, name: 'LDAP_REFERRAL', text: 'referral' },
  { value: 0x0b, name: 'LDAP_ADMIN_LIMIT_EXCEEDED', text: 'adminLimitExceeded' },
  { value: 0x0c, name: 'LDAP_UNAVAILABLE_CRIT_EXTENSION', text: 'unavailableCriticalExtension' },
  {
    value: 0x0d,
    name: 'LDAP_CONFIDENTIALITY_REQUIRED',
    text: 'confidentialityRequired',
    meaning: M.confidentialityRequired,
  },
  { value: 0x0e, name: 'LDAP_SASL_BIND_IN_PROGRESS', text: 'saslBindInProgress' },
  { value: 0x10, name: 'LDAP_NO_SUCH_ATTRIBUTE', text: 'noSuchAttribute' },
  { value: 0x11, name: 'LDAP_UNDEFINED_TYPE', text: 'undefinedAttributeType' },
  { value: 0x12, name: 'LDAP_INAPPROPRIATE_MATCHING', text: 'inappropriateMatching' },
  { value: 0x13, name: 'LDAP_CONSTRAINT_VIOLATION', text: 'constraintViolation' },
  { value: 0x14, name: 'LDAP_ATTRIBUTE_OR_VALUE_EXISTS', text: 'attributeOrValueExists' },
  { value: 0x15, name: 'LDAP_INVALID_SYNTAX', text: 'invalidAttributeSyntax' },
  { value: 0x20, name: 'LDAP_NO_SUCH_OBJECT', text: 'noSuchObject', meaning: M.noSuchObject },
  { value: 0x21, name: 'LDAP_ALIAS_PROBLEM', text: 'aliasProblem' },
  { value: 0x22, name: 'LDAP_INVALID_DN_SYNTAX', text: 'invalidDNSyntax' },
  { value: 0x24, name: 'LDAP_ALIAS_DEREF_PROBLEM', text: 'aliasDereferencingProblem' },
  {
    value: 0x30,
    name: 'LDAP_INAPPROPRIATE_AUTH',
    text: 'inappropriateAuthentication',
    meaning: M.strongerAuthRequired,
  },
  { value: 0x31, name: 'LDAP_INVALID_CREDENTIALS', text: 'invalidCredentials', meaning: M.invalidCredentials },
  { value: 0x32, name: 'LDAP_INSUFFICIENT_RIGHTS', text: 'insufficientAccessRights', meaning: M.insufficientRights },
  { value: 0x33, name: 'LDAP_BUSY', text: 'busy', meaning: M.dcBusy },
  { value: 0x34, name: 'LDAP_UNAVAILABLE', text: 'unavailable', meaning: M.dcBusy },
  { value: 0x35, name: 'LDAP_UNWILLING_TO_PERFORM', text: 'unwillingToPerform', meaning: M.dcUnwilling },
  { value: 0x36, name: 'LDAP_LOOP_DETECT', text: 'loopDetect' },
  { value: 0x40, name: 'LDAP_NAMING_VIOLATION', text: 'namingViolation' },
  { value: 0x41, name: 'LDAP_OBJECT_CLASS_VIOLATION', text: 'objectClassViolation' },
  { value: 0x42, name: 'LDAP_NOT_ALLOWED_ON_NONLEAF', text: 'notAllowedOnNonLeaf' },
  { value: 0x43, name: 'LDAP_NOT_ALLOWED_ON_RDN', text: 'notAllowedOnRDN' },
  { value: 0x44, name: 'LDAP_ALREADY_EXISTS', text: 'entryAlreadyExists' },
  { value: 0x45, name: 'LDAP_NO_OBJECT_CLASS_MODS', text: 'objectClassModsProhibited' },
  { value: 0x47, name: 'LDAP_AFFECTS_MULTIPLE_DSAS', text: 'affectsMultipleDSAs' },
  { value: 0x50, name: 'LDAP_OTHER', text: 'other' },
  {
    value: 0x51,
    name: 'LDAP_SERVER_DOWN',
    text: 'client-side (winldap.h): the server cannot be contacted',
    meaning: M.ldapServerDown,
  },
  { value: 0x52, name: 'LDAP_LOCAL_ERROR', text: 'client-side (winldap.h): local error' },
  { value: 0x53, name: 'LDAP_ENCODING_ERROR', text: 'client-side (winldap.h): encoding error' },
  { value: 0x54, name: 'LDAP_DECODING_ERROR', text: 'client-side (winldap.h): decoding error' },
  { value: 0x55, name: 'LDAP_TIMEOUT', text: 'client-side (winldap.h): timeout', meaning: M.ldapTimeout },
  { value: 0x56, name: 'LDAP_AUTH_UNKNOWN', text: 'client-side (winldap.h): unknown authentication method' },
  { value: 0x57, name: 'LDAP_FILTER_ERROR', text: 'client-side (winldap.h): bad search filter' },
  { value: 0x58, name: 'LDAP_USER_CANCELLED', text: 'client-side (winldap.h): cancelled by the user' },
  { value: 0x59, name: 'LDAP_PARAM_ERROR', text: 'client-side (winldap.h): bad parameter' },
  { value: 0x5a, name: 'LDAP_NO_MEMORY', text: 'client-side (winldap.h): out of memory' },
  {
    value: 0x5b,
    name: 'LDAP_CONNECT_ERROR',
    text: 'client-side (winldap.h): connect error',
    meaning: M.ldapServerDown,
  },
  { value: 0x5c, name: 'LDAP_NOT_SUPPORTED', text: 'client-side (winldap.h): not supported' },
  { value: 0x5d, name: 'LDAP_CONTROL_NOT_FOUND', text: 'client-side (winldap.h): control not found' },
  { value: 0x5e, name: 'LDAP_NO_RESULTS_RETURNED', text: 'client-side (winldap.h): no results returned' },
  { value: 0x5f, name: 'LDAP_MORE_RESULTS_TO_RETURN', text: 'client-side (winldap.h): more results to return' },
  { value: 0x60, name: 'LDAP_CLIENT_LOOP', text: 'client-side (winldap.h): referral loop' },
  { value: 0x61, name: 'LDAP_REFERRAL_LIMIT_EXCEEDED', text: 'client-side (winldap.h): referral limit exceeded' },
];

/**
 * AD's sub-codes of invalidCredentials (49): the hex after "data" in a bind's diagnostic message
 * ("80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 52e, v4563"). Each is a Win32 error
 * (or an SSPI HRESULT) in hex; the name and text come from those tables, the meaning here is the bind's.
 */
export const AD_BIND_SUBCODES: ReadonlyMap<number, string> = new Map([
  [0x525, 'The bind user does not exist (AD sub-code 525): check the user name (user@domain or DOMAIN\\user).'],
  [
    0x52e,
    'The user exists but the password is wrong (AD sub-code 52e): check the bind password (for gmsa-doctor, GMSA_DOCTOR_PASSWORD or --password-file).',
  ],
  [
    0x52f,
    "An account restriction blocks the bind (AD sub-code 52f): see the user's restrictions (logon hours, workstations, policies).",
  ],
  [0x530, 'The user may not log on at this time (AD sub-code 530): see its logon hours.'],
  [0x531, 'The user may not log on from this workstation (AD sub-code 531): see its userWorkstations.'],
  [0x532, "The user's password has expired (AD sub-code 532): change it, then bind again."],
  [0x533, 'The user is disabled (AD sub-code 533): enable it or bind as another user.'],
  [0x568, 'The user is in too many groups for a logon token (AD sub-code 568): remove it from some groups.'],
  [
    0x569,
    'The user lacks the logon right the bind needs on the DC (AD sub-code 569): check "Access this computer from the network" and Deny rights on the DCs.',
  ],
  [0x701, 'The account has expired (AD sub-code 701): extend accountExpires or bind as another user.'],
  [
    0x773,
    'The user must change its password before logging on (AD sub-code 773): set a new password, then bind again.',
  ],
  [0x775, 'The user is locked out (AD sub-code 775): wait for the lockout to end or Unlock-ADAccount.'],
  [
    0x80090346,
    'The DC requires LDAP channel binding and the bind did not carry it (data 80090346): bind over LDAPS or StartTLS with a client that sends channel bindings.',
  ],
]);
