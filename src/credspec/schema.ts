/** The keys a credential spec may have, at each level, spelled as CCG and New-CredentialSpec spell them. */
export const TOP_KEYS = ['CmsPlugins', 'DomainJoinConfig', 'ActiveDirectoryConfig'] as const;
export const DOMAIN_JOIN_KEYS = ['Sid', 'MachineAccountName', 'Guid', 'DnsTreeName', 'DnsName', 'NetBiosName'] as const;
export const AD_CONFIG_KEYS = ['GroupManagedServiceAccounts', 'HostAccountConfig'] as const;
export const GMSA_ENTRY_KEYS = ['Name', 'Scope'] as const;
export const HOST_ACCOUNT_KEYS = ['PortableCcgVersion', 'PluginGUID', 'PluginInput'] as const;
export const RESOURCE_KEYS = ['apiVersion', 'kind', 'metadata', 'credspec'] as const;

/** Field path pattern (array indices as []) -> the keys allowed in the object at that path. */
export const KNOWN_KEYS: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/^$/, TOP_KEYS],
  [/^DomainJoinConfig$/, DOMAIN_JOIN_KEYS],
  [/^ActiveDirectoryConfig$/, AD_CONFIG_KEYS],
  [/^ActiveDirectoryConfig\.GroupManagedServiceAccounts\[\d+\]$/, GMSA_ENTRY_KEYS],
  [/^ActiveDirectoryConfig\.HostAccountConfig$/, HOST_ACCOUNT_KEYS],
];

/** Objects whose keys are free-form (the plugin's own input). */
export const OPEN_OBJECTS = [/^ActiveDirectoryConfig\.HostAccountConfig\.PluginInput$/];
