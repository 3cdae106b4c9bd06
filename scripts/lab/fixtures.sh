#!/usr/bin/env bash
# Seeds the gMSA troubleshooting fixtures into the running lab DC (run by scripts/lab/start after the DC is ready).
# Every object is named for the failure it shows; test/integration/lab.test.ts reads them back.
#
#   OU=GmsaLab
#     WebApp01Hosts       global security group; members containerhost01$, NestedHosts, (later) containerhost04$
#     NestedHosts         global security group, member of WebApp01Hosts; member containerhost03$
#     containerhost01$    in WebApp01Hosts                       HostPassw0rd!1  (01-03 log on at the end)
#     containerhost02$    in no group                            HostPassw0rd!2
#     containerhost03$    allowed through NestedHosts            HostPassw0rd!3
#     containerhost04$    logged on (kinit) BEFORE joining WebApp01Hosts: lastLogonTimestamp predates the change
#                                                            HostPassw0rd!4
#     legacyweb01$        also holds HTTP/dupapp01.contoso.com (duplicate SPN)
#     webapp01            a USER named like the gMSA webapp01$ (duplicate-name trap)
#   CN=Managed Service Accounts
#     webapp01$ healthy; webapp02$ grants containerhost01$ directly; orphanapp01$ no msDS-GroupMSAMembership;
#     delegapp01$ TRUSTED_FOR_DELEGATION without WORKSTATION_TRUST_ACCOUNT; dupapp01$ duplicate SPN;
#     disabledapp01$ disabled; rc4app01$ RC4 only; denyapp01$ deny ACE for containerhost01$ before the group allow
#   KDS root key object (what Add-KdsRootKey creates; Samba 4.17 itself does not use it)
set -euo pipefail
# shellcheck disable=SC1091
. "$LAB_DIR/lab.env"
export LDAPTLS_CACERT=$LAB_CA LDAPTLS_REQCERT=demand
PY=/usr/bin/python3
B=$LAB_BASE_DN; DOM=$LAB_DNS_DOMAIN
OU="OU=GmsaLab,$B"; MSA="CN=Managed Service Accounts,$B"
KDS="CN=Group Key Distribution Service,CN=Services,CN=Configuration,$B"
A=(-x -H "ldaps://$LAB_IP" -D "$LAB_ADMIN_USER" -w "$LAB_ADMIN_PASSWORD")
Q=(-LLL -o ldif-wrap=no)
pw() { printf '"%s"' "$1" | iconv -f utf-8 -t utf-16le | base64 -w0; }   # unicodePwd value
sid_of() { ldapsearch "${A[@]}" "${Q[@]}" -b "$B" "(sAMAccountName=$1)" objectSid | sed -n 's/^objectSid:: //p'; }
add() { ldapadd "${A[@]}" >/dev/null; }
modify() { ldapmodify "${A[@]}" >/dev/null; }

computer() { # name password [extra ldif lines...]
  local name=$1 pass=$2; shift 2
  printf '%s\n' "dn: CN=$name,$OU" "objectClass: computer" "sAMAccountName: $name\$" "dNSHostName: $name.$DOM" \
    "userAccountControl: 4096" "servicePrincipalName: HOST/$name" "servicePrincipalName: HOST/$name.$DOM" "$@"
  [ -z "$pass" ] || echo "unicodePwd:: $(pw "$pass")"
  echo
}
group() { # name
  printf '%s\n' "dn: CN=$1,$OU" "objectClass: group" "sAMAccountName: $1" "groupType: -2147483646" ""
}

# --- 1. OU, groups, hosts, the look-alike user
{
  printf '%s\n' "dn: $OU" "objectClass: organizationalUnit" "ou: GmsaLab" ""
  group WebApp01Hosts
  group NestedHosts
  computer containerhost01 'HostPassw0rd!1'
  computer containerhost02 'HostPassw0rd!2'
  computer containerhost03 'HostPassw0rd!3'
  computer containerhost04 'HostPassw0rd!4'
  computer legacyweb01 ''
  printf '%s\n' "dn: CN=webapp01 (user),$OU" "objectClass: user" "sAMAccountName: webapp01" \
    "userPrincipalName: webapp01@$DOM" "userAccountControl: 66048" "unicodePwd:: $(pw 'UserPassw0rd!1')" ""
} | add

# --- 2. containerhost04$ logs on before it joins the group: Samba sets lastLogonTimestamp on a Kerberos logon
#        when it was never set, so the account's logon predates its group membership (a host that needs a reboot).
KINIT_AT=$(date +%s.%N)
CC=$(mktemp -d)
printf '%s\n' 'HostPassw0rd!4' | KRB5CCNAME="FILE:$CC/cc" kinit "containerhost04\$@$LAB_REALM" >/dev/null
rm -rf "$CC"

# --- 3. memberships: NestedHosts is a member of WebApp01Hosts, containerhost03$ of NestedHosts
modify <<EOF
dn: CN=WebApp01Hosts,$OU
changetype: modify
add: member
member: CN=containerhost01,$OU
member: CN=NestedHosts,$OU

dn: CN=NestedHosts,$OU
changetype: modify
add: member
member: CN=containerhost03,$OU
EOF

# --- 4. msDS-GroupMSAMembership values: self-relative security descriptors as
#        Set-ADServiceAccount -PrincipalsAllowedToRetrieveManagedPassword writes them: O:BAD:(A;;0xf01ff;;;<sid>)
read -r SD_GROUP SD_HOST SD_DENY < <($PY - "$(sid_of WebApp01Hosts)" "$(sid_of 'containerhost01$')" <<'EOF'
import sys, base64
from samba.dcerpc import security
from samba.ndr import ndr_pack, ndr_unpack
group, host = (str(ndr_unpack(security.dom_sid, base64.b64decode(b))) for b in sys.argv[1:3])
def sd(sddl):
    return base64.b64encode(ndr_pack(security.descriptor.from_sddl(sddl, security.dom_sid("S-1-5-32")))).decode()
print(sd("O:BAD:(A;;0xf01ff;;;%s)" % group), sd("O:BAD:(A;;0xf01ff;;;%s)" % host),
      sd("O:BAD:(D;;0xf01ff;;;%s)(A;;0xf01ff;;;%s)" % (host, group)))
EOF
)

# --- 5. gMSAs. msDS-ManagedPasswordInterval is mandatory at creation and system-only afterwards; without an
#        explicit userAccountControl Samba stores 0x1022 (disabled).
gmsa() { # name uac enctypes sd-b64|"" spn...
  local name=$1 uac=$2 enc=$3 sd=$4; shift 4
  printf '%s\n' "dn: CN=$name,$MSA" "objectClass: msDS-GroupManagedServiceAccount" "sAMAccountName: $name\$" \
    "dNSHostName: $name.$DOM" "msDS-ManagedPasswordInterval: 30" "msDS-SupportedEncryptionTypes: $enc" \
    "userAccountControl: $uac"
  [ -z "$sd" ] || echo "msDS-GroupMSAMembership:: $sd"
  local s; for s in "$@"; do echo "servicePrincipalName: $s"; done
  echo
}
{
  gmsa webapp01 4096 28 "$SD_GROUP" "HTTP/webapp01.$DOM" "HTTP/webapp01"
  gmsa webapp02 4096 28 "$SD_HOST" "HTTP/webapp02.$DOM"
  gmsa orphanapp01 4096 28 "" "HTTP/orphanapp01.$DOM"
  gmsa delegapp01 4096 28 "$SD_GROUP" "HTTP/delegapp01.$DOM"
  gmsa dupapp01 4096 28 "$SD_GROUP" "HTTP/dupapp01.$DOM"
  gmsa disabledapp01 4098 28 "$SD_GROUP" "HTTP/disabledapp01.$DOM"
  gmsa rc4app01 4096 4 "$SD_GROUP" "HTTP/rc4app01.$DOM"
  gmsa denyapp01 4096 28 "$SD_DENY" "HTTP/denyapp01.$DOM"
} | add
# Samba keeps exactly one account-type bit: asking for TRUSTED_FOR_DELEGATION (0x80000) alone stores 0x80200
# (NORMAL_ACCOUNT | TRUSTED_FOR_DELEGATION), i.e. WORKSTATION_TRUST_ACCOUNT is gone, as in the guide's case.
modify <<EOF
dn: CN=delegapp01,$MSA
changetype: modify
replace: userAccountControl
userAccountControl: 524288
EOF

# --- 6. duplicate SPN. Samba refuses duplicate SPNs over LDAP (like Windows 2012 R2+), so the second copy is
#        written straight into the domain partition, bypassing the samldb module.
ldbmodify -H "tdb://$LAB_DIR/dc/private/sam.ldb.d/$(echo "$B" | tr 'a-z' 'A-Z').ldb" >/dev/null <<EOF
dn: CN=legacyweb01,$OU
changetype: modify
add: servicePrincipalName
servicePrincipalName: HTTP/dupapp01.$DOM
EOF

# --- 7. KDS root key object as Add-KdsRootKey creates it (effective 10 hours ago)
FT_NOW=$(( ($(date +%s) + 11644473600) * 10000000 )); FT_USE=$(( FT_NOW - 10 * 3600 * 10000000 ))
KDF=$(printf '\x00\x00\x00\x00\x01\x00\x00\x00\x0e\x00\x00\x00\x00\x00\x00\x00S\x00H\x00A\x005\x001\x002\x00\x00\x00' | base64 -w0)
add <<EOF
dn: $KDS
objectClass: container

dn: CN=Master Root Keys,$KDS
objectClass: container

dn: CN=$(cat /proc/sys/kernel/random/uuid),CN=Master Root Keys,$KDS
objectClass: msKds-ProvRootKey
msKds-Version: 1
msKds-DomainID: CN=${LAB_DC_FQDN%%.*},OU=Domain Controllers,$B
msKds-KDFAlgorithmID: SP800_108_CTR_HMAC
msKds-KDFParam:: $KDF
msKds-SecretAgreementAlgorithmID: DH
msKds-PrivateKeyLength: 512
msKds-PublicKeyLength: 2048
msKds-RootKeyData:: $(head -c 64 /dev/urandom | base64 -w0)
msKds-CreateTime: $FT_NOW
msKds-UseStartTime: $FT_USE
EOF

# --- 8. containerhost04$ joins WebApp01Hosts only now, at least a second after its logon, so the group change is
#        visibly later (whenChanged and the member's replication metadata have one-second resolution).
sleep "$(awk -v t="$KINIT_AT" -v n="$(date +%s.%N)" 'BEGIN { w = t + 1.1 - n; print (w > 0 ? w : 0) }')"
modify <<EOF
dn: CN=WebApp01Hosts,$OU
changetype: modify
add: member
member: CN=containerhost04,$OU
EOF

# --- 9. the other hosts log on after their group changes, as running hosts do (this also proves their passwords)
for n in 1 2 3; do
  CC=$(mktemp -d)
  printf '%s\n' "HostPassw0rd!$n" | KRB5CCNAME="FILE:$CC/cc" kinit "containerhost0$n\$@$LAB_REALM" >/dev/null
  rm -rf "$CC"
done
