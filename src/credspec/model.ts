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

export type SourceFormat = 'json' | 'yaml';

/** One credential spec found in a file: a JSON file holds one, a YAML file may hold several resources. */
export interface CredSpecDocument {
  file: string;
  format: SourceFormat;
  /** 0-based index of the document within a multi-document YAML file. */
  index: number;
  /** The credential spec itself (for a Kubernetes resource, its `credspec` value), as parsed: unknown shape. */
  spec: unknown;
  /** Present when the document is a Kubernetes GMSACredentialSpec resource (or tried to be one). */
  k8s?: {
    apiVersion?: unknown;
    kind?: unknown;
    name?: unknown;
    /** Size of the resource's source text in bytes. */
    sizeBytes: number;
  };
  /** Line and column (1-based) of a field path inside the file, e.g. ['DomainJoinConfig', 'Sid']. */
  positions: Record<string, { line: number; column: number }>;
}

/** A file that was given but could not be read or parsed at all (not a credential spec problem). */
export interface CredSpecReadError {
  file: string;
  reason: string;
  line?: number;
  column?: number;
}

declare module '../engine/facts.js' {
  interface FactTypes {
    /** Every credential spec document found in the given files. */
    'credspec.documents': CredSpecDocument[];
    /** Files that were given but hold no readable credential spec. */
    'credspec.readErrors': CredSpecReadError[];
  }
}
