/** The PowerShell line the container exec probe runs to see DNS from inside a container, and its output. Pure. */

/** The JSON this prints: {"servers":["10.0.0.10"],"addresses":["10.0.0.10"],"error":null}. */
export function dnsScript(domain: string): string {
  const name = domain.replace(/'/g, "''");
  return [
    '$servers = @((Get-DnsClientServerAddress -AddressFamily IPv4).ServerAddresses | Select-Object -Unique)',
    '$addresses = @(); $err = $null',
    `try { $addresses = @([System.Net.Dns]::GetHostAddresses('${name}') | ForEach-Object { $_.IPAddressToString }) } catch { $err = $_.Exception.InnerException.Message }`,
    '[pscustomobject]@{ servers = $servers; addresses = $addresses; error = $err } | ConvertTo-Json -Compress',
  ].join('; ');
}

export interface DnsAnswer {
  servers: string[];
  addresses: string[];
  error?: string;
}

/** Pure: the DNS script's JSON (PowerShell prints a one-element array as a bare value). */
export function parseDnsAnswer(stdout: string): DnsAnswer | undefined {
  try {
    const o = JSON.parse(stdout.trim()) as { servers?: unknown; addresses?: unknown; error?: unknown };
    const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
    return {
      servers: list(o.servers),
      addresses: list(o.addresses),
      ...(typeof o.error === 'string' ? { error: o.error } : {}),
    };
  } catch {
    return undefined;
  }
}
