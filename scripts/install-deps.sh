#!/usr/bin/env bash
# Debian packages the test suite needs: the Samba AD DC lab, Kerberos/LDAP client tools, the reference EVTX
# readers, Chromium for the HTML report test, wine64 for the Windows exe's tests, and debootstrap for the
# fresh-machine test. Safe to run again.
set -euo pipefail
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind python3-samba \
  krb5-user libkrb5-dev libsasl2-modules-gssapi-mit ldb-tools ldap-utils dnsutils smbclient openssl \
  nftables iproute2 util-linux procps python3-evtx libevtx-utils chromium \
  wine64 debootstrap debian-archive-keyring git >/dev/null
