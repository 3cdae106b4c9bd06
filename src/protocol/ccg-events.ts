/**
 * What the event logs around gMSA say, from the guide's "Use event logs to identify configuration issues"
 * table (Microsoft-Windows-Containers-CCG/Admin, events 1 to 9), plus the Hyper-V-Compute and NETLOGON
 * events that show the same failures from the host's side. Pure data.
 */

export const CCG_PROVIDER = 'Microsoft-Windows-Containers-CCG';
export const CCG_CHANNEL = 'Microsoft-Windows-Containers-CCG/Admin';
/** The provider's GUID, as Microsoft's CSS authentication scripts enable it. */
export const CCG_PROVIDER_GUID = '{45E7DBC5-E130-5CEF-9353-CC5EBF05E6C8}';
export const HYPERV_COMPUTE_PROVIDER = 'Microsoft-Windows-Hyper-V-Compute';
export const NETLOGON_PROVIDER = 'NETLOGON';

/** The sections of the troubleshooting guide where the causes of CCG events are checked (ids of src/engine/sections.ts). */
export type CauseSection = 'credspec' | 'host-domain-joined' | 'host-non-domain-joined' | 'account' | 'network';

/** Where to look for the cause: a section of the guide and the gmsa-doctor command that checks it. */
export interface CausePointer {
  section: CauseSection;
  /** The check family (check id prefix) that finds the cause. */
  checks: string;
  /** What to verify, in the guide's words. */
  verify: string;
  /** With `<gmsa>`, `<plugin>`, `<domain>`... for the values the events name. */
  command: string;
}

/**
 * Where the cause lies when the event's error names one of these statuses: the error text decides, not only the
 * event id (event 4 with a logon failure is the plug-in's COM identity, not its registration).
 */
export interface ErrorCause {
  /** Status names (any table: Win32, NTSTATUS, HRESULT) the error text may decode to. */
  statuses: readonly string[];
  meaning: string;
  cause: CausePointer;
}

export interface KnownEvent {
  provider: string;
  eventId: number;
  outcome: 'success' | 'failure' | 'info';
  /** The event's text, with %1, %2... for its parameters, in the order the provider writes them. */
  text: string;
  /** What each parameter is (same order as %1, %2...). */
  parameters: readonly ('gmsa' | 'plugin' | 'error' | 'detail')[];
  meaning: string;
  cause?: CausePointer;
  /** Causes that depend on the error text, the first whose status the text names wins over `cause`. */
  byError?: readonly ErrorCause[];
}

/** Statuses that say an account could not log on: a wrong, expired or locked password, a disabled account. */
const LOGON_FAILURES = [
  'STATUS_LOGON_FAILURE',
  'ERROR_LOGON_FAILURE',
  'STATUS_WRONG_PASSWORD',
  'ERROR_WRONG_PASSWORD',
  'STATUS_PASSWORD_EXPIRED',
  'ERROR_PASSWORD_EXPIRED',
  'STATUS_PASSWORD_MUST_CHANGE',
  'STATUS_ACCOUNT_LOCKED_OUT',
  'ERROR_ACCOUNT_LOCKED_OUT',
  'STATUS_ACCOUNT_DISABLED',
  'ERROR_ACCOUNT_DISABLED',
  'STATUS_ACCOUNT_EXPIRED',
  'ERROR_ACCOUNT_EXPIRED',
  'STATUS_LOGON_TYPE_NOT_GRANTED',
  'ERROR_LOGON_TYPE_NOT_GRANTED',
] as const;

const CREDSPEC: CausePointer = {
  section: 'credspec',
  checks: 'credspec/*',
  verify: 'the formatting and contents of the credential spec',
  command: 'gmsa-doctor credspec lint <credential-spec.json>',
};

export const CCG_EVENTS: readonly KnownEvent[] = [
  {
    provider: CCG_PROVIDER,
    eventId: 1,
    outcome: 'success',
    text: 'Container Credential Guard instantiated the plugin: %1',
    parameters: ['plugin'],
    meaning: 'The plug-in named in the credential spec is installed and could be loaded. No action needed.',
  },
  {
    provider: CCG_PROVIDER,
    eventId: 2,
    outcome: 'success',
    text: 'Container Credential Guard fetched gmsa credentials for %1 using plug-in: %2',
    parameters: ['gmsa', 'plugin'],
    meaning: 'gMSA credentials were fetched from Active Directory. No action needed.',
  },
  {
    provider: CCG_PROVIDER,
    eventId: 3,
    outcome: 'failure',
    text: 'Container Credential Guard failed to parse the credential spec. Error: %1',
    parameters: ['error'],
    meaning: 'The credential spec could not be parsed.',
    cause: CREDSPEC,
  },
  {
    provider: CCG_PROVIDER,
    eventId: 4,
    outcome: 'failure',
    text: 'Container Credential Guard failed to instantiate the plug-in: %1. Error: %2',
    parameters: ['plugin', 'error'],
    meaning: 'The plug-in could not be loaded: it is not installed or not registered correctly on the host.',
    cause: {
      section: 'host-non-domain-joined',
      checks: 'host/*',
      verify:
        'that the plug-in is installed and registered under HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{PluginGUID}',
      command: 'reg query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses" /s',
    },
    byError: [
      {
        statuses: [
          'CO_E_RUNAS_LOGON_FAILURE',
          'CO_E_RUNAS_CREATEPROCESS_FAILURE',
          'CO_E_RUNAS_SYNTAX',
          'CO_E_WRONG_SERVER_IDENTITY',
          'CO_E_LAUNCH_PERMSSION_DENIED',
          'ERROR_SERVICE_LOGON_FAILED',
          ...LOGON_FAILURES,
        ],
        meaning:
          "The plug-in is registered (COM found its class), but COM could not start its server under the identity configured for it: the RunAs account of the plug-in's AppID, or that account's password, is wrong.",
        cause: {
          section: 'host-non-domain-joined',
          checks: 'host/*',
          verify:
            'the plug-in\'s COM identity, not its registration: the RunAs account of its AppID (dcomcnfg: Component Services, DCOM Config, the plug-in, Identity) and that account\'s password. "The interactive user" works only while someone is signed in to the host (microsoft/Windows-Containers#293)',
          command:
            '$appId = (Get-ItemProperty "Registry::HKEY_CLASSES_ROOT\\CLSID\\<plugin>").AppID; Get-ItemProperty "Registry::HKEY_CLASSES_ROOT\\AppID\\$appId" | Select-Object RunAs',
        },
      },
    ],
  },
  {
    provider: CCG_PROVIDER,
    eventId: 6,
    outcome: 'failure',
    text: 'Container Credential Guard failed to fetch credentials from the plug-in: %1. Error: %2',
    parameters: ['plugin', 'error'],
    meaning: 'The plug-in loaded but could not retrieve the credentials it needs to fetch the gMSA password from AD.',
    cause: {
      section: 'credspec',
      checks: 'credspec/*',
      verify:
        'that PluginInput in the credential spec is formatted as the plug-in expects, and that the container host may read the secret store the plug-in uses',
      command: 'gmsa-doctor credspec lint <credential-spec.json>',
    },
  },
  {
    provider: CCG_PROVIDER,
    eventId: 7,
    outcome: 'info',
    text: 'Container Credential Guard is refetching the credentials using the plug-in: %1',
    parameters: ['plugin'],
    meaning: 'The gMSA password expired and is being refreshed with the credentials from the plug-in.',
  },
  {
    provider: CCG_PROVIDER,
    eventId: 8,
    outcome: 'failure',
    text: 'Container Credential Guard failed to fetch gmsa credentials for %1 using plugin %2. Error reason: %3',
    parameters: ['gmsa', 'plugin', 'error'],
    meaning: 'The credentials from the plug-in could not be used to fetch the gMSA password from AD.',
    cause: {
      section: 'account',
      checks: 'account/*',
      verify:
        "that the account the plug-in returns may retrieve the gMSA's password (PrincipalsAllowedToRetrieveManagedPassword)",
      command: 'gmsa-doctor check --domain <domain> --gmsa <gmsa> --host <plugin-account>',
    },
    byError: [
      {
        statuses: LOGON_FAILURES,
        meaning:
          'The account whose credentials the plug-in returned could not log on to AD: its credentials are wrong, expired or locked out, or written in a form the plug-in does not read. Its permission on the gMSA is not what failed.',
        cause: {
          section: 'host-non-domain-joined',
          checks: 'credspec/*',
          verify:
            "the plug-in account's credentials: the secret the plug-in reads (PluginInput names where) holds that account's current password, in the format the plug-in expects (e.g. DOMAIN\\user:password), and the account is enabled and not locked out",
          command: 'gmsa-doctor credspec lint <credential-spec.json>',
        },
      },
    ],
  },
  {
    provider: CCG_PROVIDER,
    eventId: 9,
    outcome: 'failure',
    text: 'Container Credential Guard failed to parse the plug-in GUID in the credential spec. Error: %1',
    parameters: ['error'],
    meaning: 'The PluginGUID in the credential spec is missing or is not a GUID in braces.',
    cause: {
      ...CREDSPEC,
      verify:
        'that HostAccountConfig.PluginGUID is a COM CLSID with braces, e.g. {859E1386-BDB4-49E8-85C7-3070B13920E1}',
    },
  },
];

export const RELATED_EVENTS: readonly KnownEvent[] = [
  {
    provider: HYPERV_COMPUTE_PROVIDER,
    eventId: 11507,
    outcome: 'failure',
    text: 'Container setup of external credentials failed',
    parameters: ['detail'],
    meaning: 'The container host could not set up the gMSA (external credentials) for a container.',
    cause: {
      section: 'host-domain-joined',
      checks: 'host/*',
      verify: 'that the host can use the gMSA (Test-ADServiceAccount) and that the credential spec names it',
      command: 'gmsa-doctor check --domain <domain> --gmsa <gmsa> --host <container-host>',
    },
  },
  {
    provider: NETLOGON_PROVIDER,
    eventId: 5719,
    outcome: 'failure',
    text: 'This computer was not able to set up a secure session with a domain controller in domain %1',
    parameters: ['detail', 'error'],
    meaning: 'No secure channel to a domain controller: DNS, network or the computer account is wrong.',
    cause: {
      section: 'network',
      checks: 'network/*',
      verify:
        'DNS resolution of the domain and the DC ports (53, 88, 135, 389, 445, 464, 636, 3268, 3269, 49152-65535)',
      command: 'gmsa-doctor dc --domain <domain>',
    },
  },
  {
    provider: NETLOGON_PROVIDER,
    eventId: 5720,
    outcome: 'failure',
    text: 'The session setup to the Windows Domain Controller %1 for the domain %2 failed because the computer %3 does not have a local security database account',
    parameters: ['detail', 'detail', 'detail'],
    meaning: "The domain controller does not know this computer's account (or its password is out of sync).",
    cause: {
      section: 'host-domain-joined',
      checks: 'host/*',
      verify: 'that the computer account exists in AD and the secure channel is healthy (nltest /sc_verify)',
      command: 'nltest /sc_verify:<domain>',
    },
  },
];

const PROVIDER_ALIASES: Record<string, string> = {
  'microsoft-windows-containers-ccg': CCG_PROVIDER,
  'microsoft-windows-hyper-v-compute': HYPERV_COMPUTE_PROVIDER,
  netlogon: NETLOGON_PROVIDER,
  'microsoft-windows-netlogon': NETLOGON_PROVIDER,
};

/** The table entry for an event, matching the provider name case-insensitively (and NETLOGON's two names). */
export function knownEvent(provider: string, eventId: number): KnownEvent | undefined {
  const canonical = PROVIDER_ALIASES[provider.toLowerCase()];
  if (!canonical) return undefined;
  return [...CCG_EVENTS, ...RELATED_EVENTS].find((e) => e.provider === canonical && e.eventId === eventId);
}

/** Fills %1, %2... with the event's parameters. */
export function eventText(event: KnownEvent, parameters: readonly string[]): string {
  return event.text.replace(/%(\d+)/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
}
