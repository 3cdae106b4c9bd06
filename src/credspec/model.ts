/** The shape of a credential spec, as New-CredentialSpec writes it and CCG reads it. */
export interface GmsaEntry {
  Name: string;
  Scope: string;
}

export interface HostAccountConfig {
  PortableCcgVersion?: string;
  PluginGUID?: string;
  /** A secret-bearing string for the plugin (an object in the AWS ECS convention). Never printed. */
  PluginInput?: unknown;
}

export interface CredSpec {
  CmsPlugins?: string[];
  DomainJoinConfig?: {
    Sid?: string;
    MachineAccountName?: string;
    Guid?: string;
    DnsTreeName?: string;
    DnsName?: string;
    NetBiosName?: string;
  };
  ActiveDirectoryConfig?: {
    GroupManagedServiceAccounts?: GmsaEntry[];
    HostAccountConfig?: HostAccountConfig;
  };
}
