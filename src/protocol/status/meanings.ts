/**
 * What a status code means for a container that uses a gMSA, and where to look. One text per failure, shared by
 * the Win32, NTSTATUS, HRESULT, Kerberos and LDAP forms of the same failure, so they always read the same.
 */
export const MEANING = {
  success: 'Success: nothing failed.',

  // Reaching a domain controller
  noLogonServers:
    'No domain controller answered for the domain. Inside a container: its DNS servers must resolve the AD domain (_ldap._tcp.dc._msdcs.DOMAIN) and reach a DC on 53, 88, 389 and 445. As an HCS start error ("winapi error #3489661022" is HRESULT_FROM_NT of this status), Container Credential Guard on the host could not reach a DC to get the gMSA password: run nltest /dsgetdc:DOMAIN on the host and read the CCG events.',
  dcNotFound:
    'DC locator found no domain controller for the domain: DNS does not return its SRV records (_ldap._tcp.dc._msdcs.DOMAIN) or no DC answered the LDAP ping (UDP 389). Check with nltest /dsgetdc:DOMAIN from the host and from the container.',
  noSuchDomain:
    "The domain does not exist or cannot be contacted: the DNS name in the credential spec (DomainJoinConfig.DnsName, or a gMSA Scope) or --domain does not resolve with the DNS servers in use. Check nslookup -type=srv _ldap._tcp.dc._msdcs.DOMAIN with the container's DNS servers.",
  cantAccessDomainInfo:
    'A domain controller could not be read: it is unreachable or refused the caller. Check that a DC answers on 389/445/135 and that the caller (the host, or the gMSA inside the container) is authenticated.',
  netlogonNotStarted:
    'The Netlogon service is not running where the logon happened: start it (Start-Service Netlogon). Inside a container this usually means the container has no domain identity (credential spec not applied).',
  noSiteName:
    'This machine has no AD site (its subnet is not mapped to a site): DC locator may pick a far or blocked DC. Map the subnet in AD Sites and Services.',
  rpcServerUnavailable:
    'An RPC server could not be reached. From nltest inside a container: Netlogon has no domain identity, the credential spec was not applied (recreate the container with --security-opt "credentialspec=file://NAME.json"). As an HCS start error or in Hyper-V-Compute event 11507 ("Failed to setup the external credentials ... (0xC0020017)"): Container Credential Guard could not get the gMSA for the container; read the Microsoft-Windows-Containers-CCG/Admin events, check that the host is domain-joined or its CCG plug-in is registered, and that RPC (135 and 49152-65535) to the DC is open.',
  rpcCallFailed:
    'An RPC call to the server broke off midway: a firewall or load balancer dropped the dynamic RPC port (49152-65535) to the DC, or the DC restarted. Check RPC 135 and the dynamic range between the host and the DC.',
  rpcNoEndpoint:
    'The endpoint mapper (TCP 135) on the server has no endpoint for the service: the service is not running there, or the dynamic RPC ports are blocked.',
  rpcAuth:
    'The RPC call could not be authenticated: the caller has no usable Kerberos or NTLM credentials for the server. Inside a container this means the gMSA identity is missing (credential spec not applied) or the process runs as a local user; run it as NETWORK SERVICE or LocalSystem to act as the gMSA.',

  // The network path
  timeout:
    'A wait timed out: a DC, DNS server or KDC did not answer in time. Check that the DC answers on 53, 88, 389 and 445 from where the error was seen (Test-NetConnection DC -Port N inside the container).',
  connectionRefused:
    'The remote host refused the connection: nothing listens on that DC port (88 Kerberos, 389 LDAP, 636 LDAPS, 445 SMB, 135 RPC) or a firewall rejects it. Test with Test-NetConnection DC -Port N from the container and from the host.',
  connectionTimedOut:
    'The connection attempt timed out: a firewall silently drops traffic to that port on the DC (88, 389, 445, 135 or 53). Test with Test-NetConnection DC -Port N from inside the container.',
  unreachable:
    "The DC's network or host cannot be reached from here: routing, the container network (nat, transparent, l2bridge) or a firewall. Test from inside the container, not only from the host.",
  connectionDropped:
    'An established connection to the server was closed or reset: a firewall, proxy or the server dropped it. Retry, and look at the network path to the DC or file server.',
  noNetwork:
    'There is no working network: the container has no usable network adapter or endpoint. Check the container network (docker network ls, Get-HnsNetwork / hnsdiag list all).',
  badNetPath:
    'The network path or share was not found: the name did not resolve, SMB (445) is blocked or the share does not exist. Reach the file server by its DNS name (Kerberos needs the name, not an IP address) with DNS servers that know it.',
  networkAccessDenied:
    'The remote server denied network access: the gMSA lacks share or NTFS rights there, or the request arrived without Kerberos (by IP address, or as a local account) and was refused.',

  // DNS
  dnsNameError:
    "DNS says the name does not exist: the DNS servers the container uses do not serve the AD domain, or the name has a typo. Point the container at DNS servers that resolve the domain (docker run --dns, or the pod's DNS settings).",
  dnsNoRecords:
    'The name exists in DNS but has no record of the type asked: typically the SRV records _ldap._tcp.dc._msdcs.DOMAIN or _kerberos._tcp.DOMAIN are missing from the DNS server the container uses (a forwarder that does not serve the AD zone).',
  dnsServerFailure:
    'The DNS server failed to answer (SERVFAIL or refused): it cannot reach the AD zone or forwarder, or refuses this client. Use DNS servers that serve the AD domain.',
  hostNotFound:
    'The host name does not resolve: check the DNS servers the container uses, and that the name (a DC, the domain, a file server) is spelled as in DNS.',
  dnsTryAgain:
    'DNS gave no authoritative answer in time: the DNS server is unreachable from the container or its forwarding to the AD DNS fails.',

  // The account
  accessDenied:
    "Access denied. When the host retrieves the gMSA password: the host (or a group it is in) is not in the gMSA's PrincipalsAllowedToRetrieveManagedPassword (Get-ADServiceAccount NAME -Properties PrincipalsAllowedToRetrieveManagedPassword), or it was added to that group after its last reboot (reboot, or klist -li 0x3e7 purge). Inside a container: the process identity lacks rights on the resource; give the gMSA the rights, and run the process as NETWORK SERVICE or LocalSystem so it acts as the gMSA.",
  noSuchUser:
    "The account does not exist where it was looked up: the gMSA named in the credential spec (MachineAccountName, GroupManagedServiceAccounts Name) is not in that domain, was deleted, or the request went to another domain (the Scope). Check Get-ADServiceAccount NAME in the gMSA's domain.",
  invalidAccountName:
    "The account name is malformed: a gMSA's SAM account name is NAME$, at most 15 characters before the $. Check MachineAccountName and the GroupManagedServiceAccounts names in the credential spec.",
  noneMapped:
    'A name could not be translated to a SID (or a SID to a name): the gMSA or group named does not exist in the domain asked, or no DC could be reached to look it up. Check the names in the credential spec and DomainJoinConfig.DnsName.',
  logonFailure:
    "The user name or password is incorrect. For a gMSA: the host's copy of the password is stale (it rolled while the host could not reach a DC: restart the container, or the host), two accounts share the name, or on a host that is not domain-joined the CCG plug-in's account has a wrong secret (its PluginInput). From a container start (\"CreateProcess ... (0x52e)\"), the user given with --user cannot log on. In an LDAP bind (data 52e), the bind user's password is wrong.",
  accountRestriction:
    "The credentials are right but an account restriction blocks the logon (logon hours, workstations, blank password, or a policy such as Protected Users or an authentication silo). Check the account's restrictions in AD.",
  invalidLogonHours:
    "The account may not log on at this time (its logonHours). A gMSA is normally unrestricted: check the account's logon hours in AD.",
  invalidWorkstation:
    'The account may not log on from this computer (its userWorkstations, "Log On To..."). A gMSA is normally unrestricted: check the account\'s logon workstations.',
  passwordExpired:
    "The password has expired. A gMSA's password never expires this way (AD rolls it), so this points at a user account: the bind user, or the account a CCG plug-in uses on a host that is not domain-joined.",
  passwordMustChange:
    'The password must be changed before logon ("User must change password at next logon"). A gMSA never has this: it points at a user account (the bind user, or a CCG plug-in\'s account).',
  accountDisabled:
    'The account is disabled. For a gMSA: Set-ADServiceAccount NAME -Enabled $true; for a user (bind user, CCG plug-in account): enable it.',
  accountExpired:
    'The account has expired (accountExpires is in the past): extend it (Set-ADAccountExpiration) or clear it.',
  accountLockedOut:
    "The account is locked out after too many bad passwords: Unlock-ADAccount NAME. For a gMSA, a host or container still using an old password can lock it: find the source in the DC's Security events 4740 and 4771.",
  logonTypeNotGranted:
    'The account lacks the right for this kind of logon on this host: for a gMSA that runs a service or scheduled task, grant "Log on as a service" (SeServiceLogonRight) or "Log on as a batch job" to it or a group it is in (user rights, GPO), and check that no Deny right applies (microsoft/service-fabric-issues#1299). This is the host\'s policy, not the container.',
  tooManySids:
    'The logon token would hold too many SIDs (over about 1,015 group memberships): remove the account from some groups.',
  noTrustLsaSecret:
    'There is no machine (gMSA) secret where Netlogon looked: inside a container this means it runs without the gMSA identity (the credential spec was not applied or CCG failed at start; read the CCG events). On the host: its own computer account secret is missing; rejoin the domain.',
  noTrustSamAccount:
    "The DC has no usable trust account for this identity. For a gMSA, typically its userAccountControl lacks WORKSTATION_TRUST_ACCOUNT (0x1000): fix with Set-ADServiceAccount NAME -Replace @{userAccountControl=0x1000}. Weigh a ticket first: if klist get krbtgt in the same container obtained a TGT for the gMSA, the identity works and only Netlogon's secure channel fails.",
  trustedDomainFailure:
    "The trust between the primary domain and the trusted domain failed: the gMSA's domain and the host's or resource's domain do not trust each other (or the trust is broken); check with nltest /sc_verify:OTHERDOMAIN.",
  trustedRelationshipFailure:
    "The secure channel to the domain is broken. On the host, its computer account password is out of sync with AD (Test-ComputerSecureChannel -Repair). Inside a container, Netlogon could not set up the gMSA's channel: when several containers use the same gMSA at once, a new channel can cancel an earlier one (documented before Windows Server 2019, reported on later builds in microsoft/Windows-Containers#405); run nltest /sc_verify:DOMAIN in each, and prefer one gMSA per concurrently running workload.",
  trustFailure:
    "The network logon failed because no authority could validate it: the DC or the trusted domain's DC was unreachable, or the trust failed.",
  domainTrustInconsistent:
    "The domain's name or SID does not match the trust information: in a credential spec, DomainJoinConfig (DnsName, NetBiosName, Sid, Guid) must describe the gMSA's domain; compare it with Get-ADDomain.",
  machineAccountNetworkLogon:
    'A computer (or gMSA) account was presented for an NTLM network logon that the server refuses for machine accounts. Reach the service by its DNS name with an SPN registered on the gMSA so Kerberos is used.',
  noSuchLogonSession:
    'The logon session has no credentials (klist shows none): the process runs as a local user inside the container, or its session ended. Run it as NETWORK SERVICE or LocalSystem to use the gMSA.',
  sessionConflict:
    'A second connection to the same server under another user name: disconnect the existing sessions (net use * /delete) before connecting as the gMSA.',
  privilegeNotHeld:
    'A required privilege is not held: run the command elevated. Install-ADServiceAccount, Test-ADServiceAccount and CCG need administrative rights on the host.',
  badSecurityData:
    "A SID, ACL or security descriptor is malformed: the gMSA's msDS-GroupMSAMembership may be corrupt (set PrincipalsAllowedToRetrieveManagedPassword again), or a credential spec's DomainJoinConfig.Sid is not a domain SID.",
  groupNotFound:
    'The group does not exist: for a gMSA, a group in PrincipalsAllowedToRetrieveManagedPassword that was deleted or renamed.',
  passwordChangeRule:
    "A password change broke a rule. A gMSA's password is managed by AD and never set by hand: this comes from a manual change attempt on a user account.",

  // Kerberos and SSPI
  timeSkew:
    "The clocks of this machine and the DC differ by more than 5 minutes, so Kerberos fails. Containers use the host's clock: resync the host (w32tm /resync /force) and check its time source.",
  wrongPrincipal:
    "The ticket was for a different account than the one running the service (wrong SPN). For gMSA containers: the SPN must be registered on the gMSA (setspn -Q HTTP/NAME) and on no other account; before Windows Server 2019 the container's host name must also be the gMSA's name.",
  spnUnknown:
    'No account holds the requested SPN: register it on the gMSA (setspn -S HTTP/HOST DOMAIN\\NAME$) or use a name that has one. Reaching a service by IP address cannot use Kerberos.',
  duplicatePrincipal:
    'More than one account holds the same SPN or UPN, so the KDC refuses: find them with setspn -X (or setspn -Q SPN) and remove the duplicate.',
  staleServiceKey:
    'The service could not decrypt the ticket: its keys are not the ones the DC used. For a gMSA, the container or service still holds the password from before it rolled (restart it), DCs disagree while replicating, or the SPN is registered on another account.',
  mutualAuthFailed:
    'Mutual authentication failed: the password the service uses is not the one the DC knows. Restart the service or container so it fetches the current gMSA password, and check that the SPN is on the gMSA only.',
  noCommonEtype:
    'No common Kerberos encryption type: compare the gMSA\'s msDS-SupportedEncryptionTypes with the host\'s "Network security: Configure encryption types allowed for Kerberos" policy (RC4 disabled while the account has only RC4 keys, or AES not enabled on the account).',
  noKerberosKeys:
    'The target has no usable Kerberos keys: the gMSA has no keys of an enabled encryption type yet (its password has not rolled since AES was enabled), or msDS-SupportedEncryptionTypes excludes all the client offers.',
  preauthFailed:
    'Kerberos pre-authentication failed: wrong password or key. For a gMSA, a host or container with a stale password, or a CCG plug-in account with a wrong secret; the DC logs Security event 4771 with failure code 0x18.',
  preauthRequired:
    "Not a failure by itself: the KDC asks for pre-authentication, which proves the principal exists (gmsa-doctor's AS-REQ probe expects this answer).",
  principalUnknown:
    'The KDC does not know the client principal: the gMSA (NAME$) does not exist in that realm, or the request went to the wrong realm (domain). Check the name and Scope in the credential spec.',
  clientRevoked:
    'The KDC refuses the account: it is disabled, locked out or expired. Check Enabled, LockedOut and AccountExpirationDate of the gMSA (Get-ADServiceAccount NAME -Properties *).',
  kdcPolicy:
    'KDC policy rejects the request: logon hours or workstations, or an authentication policy or silo (Protected Users) forbids it for this account.',
  kdcUnreachable:
    'No KDC or authority could be contacted: Kerberos (TCP/UDP 88) to a DC is blocked, DNS has no _kerberos SRV record, or the realm is unknown. Check port 88 from the container to the DC.',
  downgrade:
    'Kerberos could not be used and the fallback was refused ("cannot contact a domain controller"): the KDC (port 88) was unreachable or the SPN or realm was wrong. Check DNS and port 88 to the DC from the container.',
  responseTooBig:
    'The KDC reply is too big for UDP: the client must retry over TCP, so TCP 88 to the DC must be open too.',
  ticketExpired:
    'A Kerberos ticket or security context expired: get a new one (klist purge, then retry) and check the clocks of host and DC.',
  noCredentials:
    'The security package has no credentials to use: the process has no gMSA identity (container without a credential spec, or a local user inside it); run as NETWORK SERVICE or LocalSystem in a container that has the credential spec.',
  unknownCredentials:
    'The credentials given were not recognised by the security package: wrong user name format (use DOMAIN\\NAME$ or NAME$@DOMAIN for a gMSA) or a credential of the wrong kind.',
  logonDenied:
    'The logon attempt failed: the account, password or a logon restriction was refused by the DC. As the outer code of an LDAP bind error, read the "data" sub-code for the reason.',
  invalidToken:
    'The security token given is invalid. As the outer code of an AD LDAP bind error ("80090308: LdapErr: ... data 52e"), read the "data" sub-code for the reason; otherwise the SPNEGO/Kerberos exchange was malformed (an HTTP proxy, a truncated header, or an MTU issue).',
  lsaUnreachable:
    'The Local Security Authority could not be contacted: LSA or the security package failed on this machine (check the System event log; reboot if LSA is unhealthy).',
  authFirewall:
    'Selective authentication on a trust blocks this account: grant "Allowed to authenticate" on the target computer to the gMSA (or the host).',
  ntlmBlocked:
    'NTLM is blocked by policy and Kerberos was not used: reach the service by its DNS name, with its SPN registered on the gMSA, so Kerberos works.',
  channelBinding:
    'The DC requires LDAP channel binding (Extended Protection for Authentication) and the client did not send matching bindings: use LDAPS or StartTLS with a client that supports channel binding, or review LdapEnforceChannelBinding on the DC.',
  delegation:
    'Kerberos delegation is not allowed for this account or target: configure constrained delegation (msDS-AllowedToDelegateTo) on the gMSA for the target SPN, or avoid the double hop.',
  kdsRootKeyMissing:
    'Key does not exist: as a gMSA creation or password-retrieval error, the domain has no usable KDS root key. Check Get-KdsRootKey; create one with Add-KdsRootKey (it becomes usable after up to 10 hours, or immediately with -EffectiveTime in a lab), then retry.',
  noSecrets:
    'The local account store holds no secret for the account: LSA or CCG has no gMSA password for the container (the host could not retrieve it, or the CCG plug-in returned none). Read the CCG events on the host.',
  cannotImpersonate:
    'The caller cannot be impersonated at the level needed: a service that acts for users needs "Impersonate a client after authentication", and the client must allow impersonation.',
  badValidationClass:
    'LSA rejected the logon information it was given. Seen at container start with a custom CCG plug-in ("winapi error #3489661095", microsoft/Windows-Containers#544, unresolved in the thread): check the plug-in\'s own logs and the CCG Admin events.',

  // Certificates (LDAPS)
  untrustedRoot:
    "The certificate chains to a CA this machine does not trust: for the DC's LDAPS certificate, pass that CA to gmsa-doctor with --ca, or import it into the Trusted Root store.",
  certExpired:
    "A certificate has expired (or this machine's clock is wrong): renew the DC's LDAPS certificate, and check the clock.",
  certNameMismatch:
    'The certificate does not name the host connected to: connect to the DC by a DNS name listed in its certificate (its FQDN), not by IP address or alias.',
  revocationUnknown: 'Certificate revocation could not be checked: the CRL or OCSP location is unreachable from here.',
  certRevoked: 'A certificate in the chain was revoked by its issuer: the DC needs a new certificate.',

  // CCG plug-ins (COM)
  pluginNotRegistered:
    "The COM class is not registered: the credential spec's HostAccountConfig.PluginGUID names a CCG plug-in that is not registered on this host (HKLM\\SYSTEM\\CurrentControlSet\\Control\\CCG\\COMClasses\\{GUID} and its CLSID). Install the plug-in, or fix the GUID.",
  pluginGuidInvalid:
    'Invalid class string: PluginGUID in the credential spec is not a valid GUID (it needs braces and 32 hex digits).',
  pluginServerFailed:
    "The CCG plug-in's COM server could not start: its configured identity (the AppID's RunAs) cannot launch it, or its files are missing. Check the plug-in's AppID and the System event log (DistributedCOM).",
  pluginIdentity:
    "The CCG plug-in's COM server identity is wrong: its AppID RunAs user or password is incorrect, or the identity differs from what the caller requires. Fix the RunAs account of the plug-in (dcomcnfg), not its registration.",
  pluginLaunchDenied:
    "The caller may not launch or activate the CCG plug-in's COM server: grant launch and activation permission to SYSTEM on its AppID.",
  pluginFiles: 'A DLL or application the CCG plug-in needs is missing or broken: reinstall the plug-in.',
  comFailure:
    "A generic COM/HRESULT failure: the detail is in the component's own log. For gMSA containers, read the Microsoft-Windows-Containers-CCG/Admin and Hyper-V-Compute events for the code behind it.",

  // Services that run as the gMSA on a host
  serviceLogonFailed:
    'A Windows service that runs as the gMSA did not start because its logon failed: the host may not retrieve the password (Test-ADServiceAccount NAME), the account name lacks the trailing $, or it lacks "Log on as a service".',
  invalidServiceAccount:
    'The service account name or password is invalid: for a gMSA give DOMAIN\\NAME$ (with the $) and an empty password; Install-ADServiceAccount NAME must succeed on the host first.',
  serviceNotRunning:
    'A service is not running (or disabled): if it is Netlogon, domain logons and the secure channel cannot work; start it.',
  differentServiceAccount:
    'Services sharing one process must run as the same account: give the service that runs as the gMSA its own process (sc config NAME type= own).',
  serviceTimeout:
    'The service did not answer the start request in time: read its own log; a service running as a gMSA may be waiting for a DC.',

  // HCS and the image: look-alikes, not gMSA failures
  imageMismatch:
    "Not a gMSA failure: the container image's Windows version does not match the host (process isolation needs the same build). Use an image tag that matches the host, or Hyper-V isolation.",
  unexpectedExit:
    "Not a gMSA failure as such: the container exited unexpectedly. Seen with servercore:ltsc2025 images on older hosts (microsoft/Windows-Containers#591, microsoft/hcsshim#2566): check that the image matches the host's build, then the container's own logs.",
  invalidLayer:
    "Not a gMSA failure: the image has a layer this host cannot read, typically an image newer than the host (ltsc2025 on Server 2022). Use an image built for the host's version.",
  terminatedDuringStart:
    'The container exited while starting: read its logs and the Hyper-V-Compute events. If a CCG error precedes it, that error is the gMSA cause; otherwise it is the image or its entry point.',
  hcsGeneric:
    'A Host Compute Service (HCS) error about the container or utility VM itself, not its gMSA: read the Microsoft-Windows-Hyper-V-Compute-Admin events.',
  hypervMissing: 'Hyper-V isolation needs the Hyper-V feature: install it, or run with --isolation=process.',
  hcnGeneric:
    'A Host Networking Service (HNS) error: container networking, not the gMSA. Check the container network (Get-HnsNetwork, hnsdiag list all), the CNI plug-in and the hns service on the host.',
  hcnRequestUnsupported:
    "Not a gMSA failure: HNS refused the network request (seen creating pod sandboxes on Windows nodes, microsoft/Windows-Containers#485). Check the CNI configuration and the node's Windows build against the CNI plug-in's requirements.",
  namespaceAttachFailed:
    "Not a gMSA failure: HNS could not attach the container's network namespace, seen when the image and host OS versions do not match (Azure/AKS#3627). Use an image built for the node's Windows version.",
  directoryInvalid:
    'Not a gMSA failure: when hcs::CreateComputeSystem says "The directory name is invalid", the container\'s executable or working directory is missing from the image, or the host lacks updates the image needs (containerd/containerd#10347, rancher/rke2#2203, antrea-io/antrea#2774).',
  elementNotFound:
    'Element not found. From hcsshim::CreateComputeSystem this is usually a missing network endpoint, layer or other HCS resource, not the gMSA (microsoft/hcsshim#715).',
  fileNotFound:
    'A file was not found. For credentialspec=file://NAME.json the file must be in <Docker root>\\CredentialSpecs (the path is relative to that folder); otherwise an executable or file missing from the image.',
  pathNotFound:
    'A path was not found: the CredentialSpecs folder, a volume, or a path inside the image. In a HostProcess pod, "open /var/run/secrets/kubernetes.io/serviceaccount/token" failing is a containerd 1.6 mount issue (kubernetes/kubernetes#104562), not the gMSA.',
  dllNotFound:
    'Not a gMSA failure: a DLL the program needs is missing from the image (a runtime such as the Visual C++ redistributable, or a servercore app run on a nanoserver image).',
  processCrash: 'Not a gMSA failure: the program inside the container crashed; read its own logs.',
  ctrlCExit: 'Not an error: the process ended on Ctrl+C or docker stop.',
  wrongImageFormat: 'Not a gMSA failure: the program is for another architecture, or the binary is corrupt.',

  // LDAP
  ldapBindFirst:
    'The DC wants a successful bind first (AD: "In order to perform this operation a successful bind must be completed"): bind as a domain user or with Kerberos.',
  strongerAuthRequired:
    'The DC requires signing or sealing (LDAP signing policy): use LDAPS (636) or StartTLS, or a SASL bind with signing.',
  confidentialityRequired: 'The DC requires a protected connection for this operation: use LDAPS (636) or StartTLS.',
  invalidCredentials:
    'The bind was refused: read AD\'s sub-code after "data" (52e wrong password, 525 no such user, 533 disabled, 775 locked out, 532 password expired, 773 must change password, 701 account expired, 80090346 channel binding).',
  noSuchObject:
    'The object does not exist at that DN: wrong base DN (domain), or the gMSA is not where it was looked for (CN=Managed Service Accounts,DC=...).',
  insufficientRights:
    'The bind user may not read or write that attribute or object; any domain user can read what gmsa-doctor needs (it never reads msDS-ManagedPassword).',
  dcUnwilling:
    'The DC refuses the operation: a policy forbids it (for example a simple bind without TLS when required).',
  dcBusy: 'The DC is busy or not ready (starting up, or not serving that naming context): retry, or use another DC.',
  ldapServerDown:
    'The client could not reach the DC on the LDAP port: DNS, a firewall (389, 636) or the DC is down. Test with Test-NetConnection DC -Port 389.',
  ldapTimeout: "The LDAP operation timed out: the DC did not answer in time; check the network path and the DC's load.",
} as const;
