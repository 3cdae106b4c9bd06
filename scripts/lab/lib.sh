# shellcheck shell=bash
# Shared code of the Samba AD DC lab (sourced by scripts/lab/start, stop, status, env, block, ...).
#
# Network: nothing the lab starts can reach beyond this machine.
#   LAB_MODE=netns     (default when `ip netns` works) the DC lives in network namespace $LAB_NETNS, reached over
#                      a veth pair: host 10.213.37.1/29 <-> DC 10.213.37.2/29, delay relay on 10.213.37.3 (host
#                      side). No default route inside the namespace, nothing routed or forwarded beyond the pair.
#   LAB_MODE=loopback  (fallback) the DC binds the loopback address 127.0.0.10 only; the delay relay listens on
#                      127.0.0.11. Firewall faults then apply to 127.0.0.10 on lo, which the DC also uses itself.
# Faults (block/unblock) are nft rules in table inet $NFT_TABLE: inside the namespace (netns mode) or on lo for
# the DC address only (loopback mode).
set -euo pipefail

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LAB_STATE=${LAB_STATE:-$LAB_ROOT/state}       # gitignored
LAB_DIR=$LAB_STATE/current                      # wiped by every start
LAB_LOCK=$LAB_STATE/.lock
LAB_NETNS=gmsa-doctor-lab
LAB_VETH_HOST=gdlab-h
LAB_VETH_DC=gdlab-dc
NFT_TABLE=gmsa_doctor_lab
LAB_REALM=CONTOSO.COM
LAB_NETBIOS=CONTOSO
LAB_DNS_DOMAIN=contoso.com
LAB_DC_NAME=DC1
LAB_DC_FQDN=dc1.contoso.com
LAB_BASE_DN=DC=contoso,DC=com
LAB_ADMIN_USER=Administrator@contoso.com
LAB_ADMIN_PASSWORD='Passw0rd!Lab'
# Fixed SID and GUID keep fixtures and assertions deterministic across restarts.
LAB_DOMAIN_SID=S-1-5-21-3623811015-3361044348-30300820
LAB_DOMAIN_GUID=7a3f6a41-6f2b-4d3e-9c1a-2b5e8f0c4d11
LAB_READY_TIMEOUT=${LAB_READY_TIMEOUT:-40}
PY=/usr/bin/python3   # Debian's python3 has the samba bindings; a pyenv python3 on PATH does not
D=$LAB_DIR/dc
# DC ports the delay relay forwards
RELAY_TCP_PORTS=53,88,389,636,3268,445,464
RELAY_UDP_PORTS=53,88,389,464

log() { printf '[lab %s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

need_root() { [ "$(id -u)" = 0 ] || die "scripts/lab/$(basename "$0") needs root (network namespace, nft, ports < 1024)"; }

# One lab operation at a time (start/stop/block/delay/strong-auth from several terminals or test processes).
take_lock() { mkdir -p "$LAB_STATE"; exec 9>"$LAB_LOCK"; flock -w 120 9 || die "another lab operation holds $LAB_LOCK"; }

# Daemons must not inherit the caller's descriptors: run as `flock /work/lab-test.lock scripts/lab/strong-auth yes`
# (or from a test run under that flock), a restarted samba kept the lock's descriptor, and with it the lock, for good.
# Call it in the subshell that execs the daemon.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# Addresses of the chosen mode; the mode of a running lab comes from its lab.env.
set_addresses() { # mode
  LAB_MODE=$1
  if [ "$LAB_MODE" = netns ]; then
    LAB_IP=10.213.37.2; LAB_HOST_IP=10.213.37.1; LAB_DELAY_IP=10.213.37.3; LAB_PREFIX=29
  else
    LAB_IP=127.0.0.10; LAB_HOST_IP=127.0.0.1; LAB_DELAY_IP=127.0.0.11; LAB_PREFIX=8
  fi
}
load_state() { # sets LAB_MODE and addresses from the last start; returns 1 when the lab was never started
  [ -f "$LAB_DIR/mode" ] || return 1
  set_addresses "$(cat "$LAB_DIR/mode")"
}
in_dc_ns() { if [ "${LAB_MODE:-}" = netns ]; then ip netns exec "$LAB_NETNS" "$@"; else "$@"; fi; }

# ------------------------------------------------------------------ process bookkeeping (PIDs only)
# /proc/PID/stat after "PID (comm) ", which may contain spaces: field 1 is the state, field 20 the start time.
stat_field() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk -v f="$2" '{print $f}'; }
start_time() { stat_field "$1" 20; }
alive() { [ -d "/proc/$1" ] && [ "$(stat_field "$1" 1)" != Z ]; }   # a zombie has ended
pid_file_alive() { # file: "PID STARTTIME ..." -> true if that very process still runs
  local pid st
  [ -s "$1" ] || return 1
  read -r pid st _ < "$1"
  alive "$pid" && [ "$(start_time "$pid")" = "$st" ]
}
samba_running() { pid_file_alive "$LAB_DIR/samba.pid"; }
relay_running() { pid_file_alive "$LAB_DIR/relay.pid"; }

descendants() {
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END { n = split(kids[root], q, " "); i = 1
          while (i <= n) { p = q[i++]; print p; m = split(kids[p], k, " "); for (j = 1; j <= m; j++) q[++n] = k[j] } }'
}
# The DC's processes share one private mount namespace; smbd's on-demand samba-dcerpcd/rpcd_* helpers detach
# (ppid 1), so they are found by that namespace, and only if they are Samba binaries.
mnt_ns_pids() {
  local mnt=$1 p exe
  [ -n "$mnt" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$mnt" ] || continue
    alive "${p#/proc/}" || continue
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    case "$exe" in /usr/sbin/samba|/usr/sbin/smbd|/usr/sbin/winbindd|/usr/sbin/nmbd|/usr/libexec/samba/*) echo "${p#/proc/}" ;; esac
  done
}
wait_gone() { # tries pid... -> true once none of the PIDs is alive (polls every 50 ms)
  local tries=$1 p i busy; shift
  for i in $(seq 1 "$tries"); do
    busy=0; for p in "$@"; do alive "$p" && { busy=1; break; }; done
    [ $busy = 0 ] && return 0
    sleep 0.05
  done
  return 1
}

stop_samba() {
  local f=$LAB_DIR/samba.pid pid st mnt kids=() rest=() sig
  [ -s "$f" ] || return 0
  read -r pid st mnt < "$f"
  if alive "$pid" && [ "$(start_time "$pid")" = "$st" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = /usr/sbin/samba ]; then
    mapfile -t kids < <(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone 100 "$pid" "${kids[@]}" || true
  fi
  for sig in TERM KILL; do
    mapfile -t rest < <(mnt_ns_pids "$mnt")
    [ ${#rest[@]} -gt 0 ] || break
    kill -"$sig" "${rest[@]}" 2>/dev/null || true
    wait_gone 60 "${rest[@]}" || true
  done
  rm -f "$f"
}

stop_relay() {
  local f=$LAB_DIR/relay.pid pid
  if pid_file_alive "$f"; then
    read -r pid _ < "$f"
    kill -TERM "$pid" 2>/dev/null || true
    wait_gone 60 "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# ------------------------------------------------------------------ network
netns_available() {
  command -v ip >/dev/null || return 1
  ip netns list >/dev/null 2>&1 || return 1
  local probe=gdlab-probe-$$
  ip netns add "$probe" 2>/dev/null || return 1
  ip netns del "$probe" 2>/dev/null || true
}

setup_netns() {
  # Refuse a subnet this machine already routes somewhere other than the default route.
  if ip -4 route show to match "$LAB_IP" | grep -v '^default' | grep -q .; then
    die "$LAB_IP overlaps an existing route: $(ip -4 route show to match "$LAB_IP" | grep -v '^default')"
  fi
  ip netns add "$LAB_NETNS"
  ip netns exec "$LAB_NETNS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 || true
  ip link add "$LAB_VETH_HOST" type veth peer name "$LAB_VETH_DC" netns "$LAB_NETNS"
  sysctl -qw "net.ipv6.conf.$LAB_VETH_HOST.disable_ipv6=1" || true
  ip addr add "$LAB_HOST_IP/$LAB_PREFIX" dev "$LAB_VETH_HOST"
  ip addr add "$LAB_DELAY_IP/$LAB_PREFIX" dev "$LAB_VETH_HOST"
  ip link set "$LAB_VETH_HOST" up
  ip netns exec "$LAB_NETNS" ip link set lo up
  ip netns exec "$LAB_NETNS" ip addr add "$LAB_IP/$LAB_PREFIX" dev "$LAB_VETH_DC"
  ip netns exec "$LAB_NETNS" ip link set "$LAB_VETH_DC" up
  # No default route in the namespace: the DC can answer the host and nothing else.
  ip route get "$LAB_IP" | grep -q "dev $LAB_VETH_HOST" || die "route to $LAB_IP does not use $LAB_VETH_HOST"
}

teardown_network() {
  if ip netns list 2>/dev/null | grep -qw "^$LAB_NETNS"; then
    # Whatever still runs inside our namespace can only be the lab's: end it by PID.
    local p
    for p in $(ip netns pids "$LAB_NETNS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    ip netns del "$LAB_NETNS" 2>/dev/null || true
  fi
  ip link del "$LAB_VETH_HOST" 2>/dev/null || true
  nft delete table inet "$NFT_TABLE" 2>/dev/null || true   # loopback-mode rules live in the host's ruleset
}

# ------------------------------------------------------------------ provisioning
provision() {
  local args=(--realm="$LAB_REALM" --domain="$LAB_NETBIOS" --server-role=dc --dns-backend=SAMBA_INTERNAL
              --adminpass="$LAB_ADMIN_PASSWORD" --host-name="$LAB_DC_NAME" --host-ip="$LAB_IP"
              --targetdir="$D" --use-rfc2307 --function-level=2008_R2 --base-schema=2012_R2
              --domain-sid="$LAB_DOMAIN_SID" --domain-guid="$LAB_DOMAIN_GUID"
              --option="interfaces=$LAB_IP/$LAB_PREFIX" --option="bind interfaces only=yes")
  mkdir -p "$D"
  # sysvol NT ACLs need security.* xattrs; keep them in a tdb where the filesystem has none (container overlays)
  touch "$D/.x"
  if ! $PY -c 'import os,sys; os.setxattr(sys.argv[1], "security.gmsa_lab", b"1")' "$D/.x" 2>/dev/null; then
    args+=(--option="vfs objects=dfs_samba4 acl_xattr xattr_tdb" --option="xattr_tdb:file=$D/state/xattr.tdb")
  fi
  rm -f "$D/.x"
  in_dc_ns samba-tool domain provision "${args[@]}" > "$LAB_DIR/provision.log" 2>&1 \
    || { tail -20 "$LAB_DIR/provision.log" >&2; die "provision failed (see $LAB_DIR/provision.log)"; }
  XATTR_LINES=$(grep -E '^\s*(vfs objects|xattr_tdb:file)' "$D/etc/smb.conf" || true)
}

write_smb_conf() { # strong-auth yes|no
  cat > "$D/etc/smb.conf" <<EOF
# generated by scripts/lab/start
[global]
	netbios name = $LAB_DC_NAME
	realm = $LAB_REALM
	workgroup = $LAB_NETBIOS
	server role = active directory domain controller
	interfaces = $LAB_IP/$LAB_PREFIX
	bind interfaces only = yes
	private dir = $D/private
	state directory = $D/state
	cache directory = $D/cache
	lock directory = $D
	binddns dir = $D/bind-dns
	pid directory = $D/run
	ncalrpc dir = $D/run/ncalrpc
	winbindd socket directory = $D/run/winbindd
	ntp signd socket directory = $D/run/ntp_signd
	log file = $D/log/log.%m
	logging = file
	max log size = 10000
	log level = 1
	idmap_ldb:use rfc2307 = yes
	# No dnsupdate (records exist already), no NetBIOS name service/WINS, no replication (kcc, drepl: one DC),
	# no ntp_signd, two prefork workers: about 35 processes instead of 53 on a shared 2-core machine.
	# No "dns forwarder": names outside the domain get an error instead of being sent anywhere.
	server services = -dnsupdate -nbt -wrepl -kcc -drepl -ntp_signd
	prefork children = 2
	dns update command = /bin/true
	spn update command = /bin/true
	ldap server require strong auth = $1
	tls enabled = yes
	tls keyfile = tls/key.pem
	tls certfile = tls/cert.pem
	tls cafile = tls/ca.pem
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes
${XATTR_LINES:-}

[sysvol]
	path = $D/state/sysvol
	read only = No

[netlogon]
	path = $D/state/sysvol/$LAB_DNS_DOMAIN/scripts
	read only = No
EOF
  echo "$1" > "$LAB_DIR/strong-auth"
}

write_client_files() {
  mkdir -p "$D/run" "$D/log" "$D/cache" "$D/client"
  printf 'nameserver %s\nsearch %s\noptions timeout:1 attempts:1\n' "$LAB_IP" "$LAB_DNS_DOMAIN" > "$D/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost\n%s\t%s %s\n' "$LAB_IP" "$LAB_DC_FQDN" "${LAB_DC_FQDN%%.*}" > "$D/etc/hosts"
  cat > "$LAB_DIR/krb5.conf" <<EOF
[libdefaults]
	default_realm = $LAB_REALM
	dns_lookup_realm = false
	dns_lookup_kdc = false
	dns_canonicalize_hostname = false
	rdns = false
[realms]
	$LAB_REALM = {
		kdc = $LAB_IP:88
		admin_server = $LAB_IP
		kpasswd_server = $LAB_IP
		default_domain = $LAB_DNS_DOMAIN
	}
[domain_realm]
	.$LAB_DNS_DOMAIN = $LAB_REALM
	$LAB_DNS_DOMAIN = $LAB_REALM
EOF
}

# Own CA and a server certificate with DNS and IP SANs (the relay's address too), so LDAPS verifies strictly.
make_tls() {
  local t=$D/private/tls
  mkdir -p "$t"; chmod 700 "$t"
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 825 -keyout "$t/ca.key" -out "$t/ca.pem" \
    -subj "/O=gmsa-doctor lab/CN=gmsa-doctor lab CA $LAB_DNS_DOMAIN" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$t/key.pem" -out "$t/req.csr" \
    -subj "/O=gmsa-doctor lab/CN=$LAB_DC_FQDN" 2>/dev/null
  printf 'subjectAltName=DNS:%s,DNS:%s,DNS:%s,IP:%s,IP:%s\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
    "$LAB_DC_FQDN" "${LAB_DC_FQDN%%.*}" "$LAB_DNS_DOMAIN" "$LAB_IP" "$LAB_DELAY_IP" > "$t/ext.cnf"
  openssl x509 -req -in "$t/req.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial -days 397 -sha256 \
    -extfile "$t/ext.cnf" -out "$t/cert.pem" 2>/dev/null
  chmod 600 "$t/key.pem" "$t/ca.key"
  cp "$t/ca.pem" "$LAB_DIR/ca.pem"
  chmod 644 "$LAB_DIR/ca.pem"
}

write_env() {
  cat > "$LAB_DIR/lab.env" <<EOF
export LAB_MODE='$LAB_MODE'
export LAB_IP='$LAB_IP'
export LAB_REALM='$LAB_REALM'
export LAB_DNS_DOMAIN='$LAB_DNS_DOMAIN'
export LAB_NETBIOS='$LAB_NETBIOS'
export LAB_BASE_DN='$LAB_BASE_DN'
export LAB_DC_FQDN='$LAB_DC_FQDN'
export LAB_ADMIN_USER='$LAB_ADMIN_USER'
export LAB_ADMIN_PASSWORD='$LAB_ADMIN_PASSWORD'
export LAB_CA='$LAB_DIR/ca.pem'
export LDAPTLS_CACERT='$LAB_DIR/ca.pem'
export LAB_DOMAIN_SID='$LAB_DOMAIN_SID'
export LAB_DOMAIN_GUID='$LAB_DOMAIN_GUID'
export KRB5_CONFIG='$LAB_DIR/krb5.conf'
export LAB_DIR='$LAB_DIR'
export LAB_NETNS='$([ "$LAB_MODE" = netns ] && echo "$LAB_NETNS")'
EOF
  echo "$LAB_MODE" > "$LAB_DIR/mode"
}

# Samba in a private mount namespace: /etc/resolv.conf and /etc/hosts point at the DC itself, /run/samba (the
# compiled-in winbindd socket dir smbd uses) and /var/log/samba are the lab's own. Nothing global changes.
start_samba() {
  rm -f "$D/run/samba.pid"
  (close_inherited_fds; in_dc_ns unshare --mount --propagation private /bin/sh -c '
    mount --bind "$1/etc/resolv.conf" /etc/resolv.conf &&
    mount --bind "$1/etc/hosts" /etc/hosts &&
    mkdir -p /run/samba /var/log/samba && mount --bind "$1/run" /run/samba && mount --bind "$1/log" /var/log/samba &&
    exec samba -s "$1/etc/smb.conf" -D' sh "$D")
  local pid i
  for i in $(seq 1 100); do [ -s "$D/run/samba.pid" ] && break; sleep 0.05; done
  pid=$(tr -dc 0-9 < "$D/run/samba.pid" 2>/dev/null) || die "samba wrote no pid file (logs: $D/log)"
  echo "$pid $(start_time "$pid") $(readlink "/proc/$pid/ns/mnt")" > "$LAB_DIR/samba.pid"
}

# ------------------------------------------------------------------ readiness checks
ldap_q() { ldapsearch -LLL -x -o nettimeout=2 -o ldif-wrap=no "$@" 2>/dev/null; }
check_ldap() { ldap_q -H "ldap://$LAB_IP" -s base -b "" defaultNamingContext | grep -q '^defaultNamingContext'; }
check_ldaps() { LDAPTLS_CACERT=$LAB_DIR/ca.pem LDAPTLS_REQCERT=demand ldap_q -H "ldaps://$LAB_IP" -s base -b "" dnsHostName | grep -q '^dnsHostName'; }
check_dns() { dig +short +time=1 +tries=1 @"$LAB_IP" "_ldap._tcp.dc._msdcs.$LAB_DNS_DOMAIN" SRV 2>/dev/null | grep -q ' 389 '; }
check_dns_tcp() { dig +tcp +short +time=1 +tries=1 @"$LAB_IP" "_kerberos._tcp.$LAB_DNS_DOMAIN" SRV 2>/dev/null | grep -q ' 88 '; }
check_kdc() { timeout 2 bash -c "exec 3<>/dev/tcp/$LAB_IP/88" 2>/dev/null; }
check_smb() { timeout 2 bash -c "exec 3<>/dev/tcp/$LAB_IP/445" 2>/dev/null; }
check_cldap() { # netlogon ping over UDP 389
  timeout 3 $PY - "$LAB_IP" >/dev/null 2>&1 <<'EOF'
import sys
from samba import param, net
from samba.credentials import Credentials
from samba.dcerpc import nbt
lp = param.LoadParm(); lp.load("/dev/null"); c = Credentials(); c.guess(lp)
net.Net(c, lp).finddc(address=sys.argv[1], flags=nbt.NBT_SERVER_LDAP | nbt.NBT_SERVER_DS)
EOF
}

wait_ready() {
  local t0 deadline c
  t0=$(now); deadline=$(( $(date +%s) + LAB_READY_TIMEOUT ))
  for c in ldap ldaps dns dns_tcp kdc smb cldap; do
    until "check_$c"; do
      samba_running || die "samba exited while starting (logs: $D/log)"
      [ "$(date +%s)" -lt "$deadline" ] || die "DC not ready after ${LAB_READY_TIMEOUT}s: $c does not answer (logs: $D/log)"
      sleep 0.1
    done
  done
  log "LDAP, LDAPS, DNS (UDP+TCP), Kerberos, SMB and CLDAP answer after $(elapsed "$t0")s"
}

# ------------------------------------------------------------------ faults
nft_in_lab() { in_dc_ns nft "$@"; }
ensure_fault_table() {
  nft_in_lab add table inet "$NFT_TABLE"
  nft_in_lab add chain inet "$NFT_TABLE" input '{ type filter hook input priority -10 ; policy accept ; }'
}
