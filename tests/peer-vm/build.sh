#!/usr/bin/env bash
# Builds the peer VM: a Debian kernel and an initramfs holding busybox, pppd
# (with the rp-pppoe plugin), rp-pppoe, xl2tpd, pptp-linux, pptpd, tcpdump,
# iproute2 and the PPP kernel modules. Everything comes from Debian's own
# packages (`apt-get download`); no host binary or library goes into the VM.
#
# Output: $PEERVM_CACHE/out/{vmlinuz,initrd.img} (default build-peer-vm/ in
# the repository, ignored by git). The .debs and the result are cached: a
# rebuild happens only when this script, init, vmpeer-lib.sh change or the
# output is missing. Exits non-zero when a binary's library is missing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CACHE=${PEERVM_CACHE:-$TOP/build-peer-vm}
W=$CACHE/work OUT=$CACHE/out
mkdir -p "$W/debs" "$OUT"
# Tests run in parallel may all ask for the VM: one builds, the others wait.
exec 9>"$CACHE/.lock"
flock 9

stamp=$(cat "$HERE/build.sh" "$HERE/init" "$HERE/vmpeer-lib.sh" | sha256sum | cut -c1-16)
if [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.img" ] && [ "$(cat "$OUT/stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "peer-vm: cached ($OUT)"
  exit 0
fi
rm -f "$OUT/stamp"

KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
[ -n "$KPKG" ] || { echo "peer-vm: no linux-image-amd64 in apt's lists (run apt-get update)" >&2; exit 1; }
KV=${KPKG#linux-image-}
PKGS="$KPKG busybox-static ppp pppoe xl2tpd pptp-linux pptpd tcpdump
 libc6 libssl3 libpcap0.8 libsystemd0 libpam0g libcrypt1 libdbus-1-3 libcap2 libgcrypt20 libgpg-error0
 liblz4-1 liblzma5 libzstd1 libwrap0 libnsl2 libtirpc3 libgssapi-krb5-2 libkrb5-3 libk5crypto3
 libkrb5support0 libkeyutils1 libcom-err2 libaudit1 libcap-ng0
 iproute2 libbpf1 libbsd0 libdb5.3 libelf1 libmnl0 libselinux1 libxtables12 libmd0 zlib1g libpcre2-8-0"
# Download only what the cache lacks (package file names start with the name).
need=()
for p in $PKGS; do compgen -G "$W/debs/${p}_*.deb" >/dev/null || need+=("$p"); done
if ((${#need[@]})); then
  echo "peer-vm: downloading ${#need[@]} packages"
  (cd "$W/debs" && apt-get download "${need[@]}" 2>&1 | grep -v -e unsandboxed -e '^Get:' || true)
fi
for p in $PKGS; do
  compgen -G "$W/debs/${p}_*.deb" >/dev/null || { echo "peer-vm: package $p did not download" >&2; exit 1; }
done
rm -rf "$W/x" "$W/rootfs"; mkdir -p "$W/x" "$W/rootfs"
for d in "$W"/debs/*.deb; do dpkg -x "$d" "$W/x"; done

R=$W/rootfs X=$W/x
mkdir -p $R/{bin,sbin,usr/bin,usr/sbin,usr/lib,lib/x86_64-linux-gnu,lib64,etc,proc,sys,dev,tmp,run,var/run,var/log,var/lock,job,root}
cp -a $X/bin/busybox $R/bin/
cp -a $X/usr/sbin/{pppd,pppoe,pppoe-server,pppoe-discovery,pppoe-relay,pppoe-sniff,chat,pppstats,pppdump,xl2tpd,xl2tpd-control,pptp,pptpd,pptpctrl} $R/usr/sbin/
cp -a $X/usr/bin/tcpdump $R/usr/sbin/
# iproute2: busybox's ip lacks veth, l2tp and -6 details the roles use
cp -a $X/bin/ip $R/usr/sbin/ip; ln -sf /usr/sbin/ip $R/bin/ip
cp -a $X/usr/lib/pppd $R/usr/lib/
[ -d $X/usr/lib/pptpd ] && cp -a $X/usr/lib/pptpd $R/usr/lib/
cp -a $X/etc/ppp $R/etc/; mkdir -p $R/etc/xl2tpd $R/var/run/xl2tpd
# Library closure, computed with the extracted loader (never the host's).
LP=$X/lib/x86_64-linux-gnu:$X/usr/lib/x86_64-linux-gnu
cp -a $X/lib64/ld-linux-x86-64.so.2 $R/lib64/ 2>/dev/null || cp -a $X/usr/lib64/ld-linux-x86-64.so.2 $R/lib64/
cp -aL $X/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 $R/lib/x86_64-linux-gnu/
libs=$W/libs.txt; : >"$libs"
for f in $(find $R/usr/sbin $R/usr/lib/pppd $R/usr/lib/pptpd -type f 2>/dev/null); do
  file -b "$f" | grep -q 'ELF.*dynamic' || continue
  out=$($X/lib64/ld-linux-x86-64.so.2 --library-path $LP --list "$f" 2>&1) || true
  if echo "$out" | grep -q 'not found'; then
    echo "peer-vm: MISSING libraries for $f:" >&2; echo "$out" | grep 'not found' >&2; exit 1
  fi
  echo "$out" | awk '$3 ~ /^\//{print $3}' >>"$libs"
done
sort -u "$libs" | while read -r lib; do cp -L "$lib" "$R/lib/x86_64-linux-gnu/$(basename "$lib")"; done
# Kernel modules (with their dependencies) for PPP, PPPoE, L2TP, PPTP, MPPE,
# Deflate, BSD-Compress, virtio net and 9p.
MODS="virtio_pci virtio_net 9pnet_virtio 9p ppp_generic ppp_async ppp_synctty pppoe pppox l2tp_ppp l2tp_netlink l2tp_ip pptp ppp_mppe ppp_deflate bsd_comp tun veth"
depmod -b $X $KV
for m in $MODS; do modprobe -d $X -S $KV --show-depends $m | awk '$1=="insmod"{print $2}'; done | sort -u |
  while read -r ko; do rel=${ko#$X/}; mkdir -p "$R/$(dirname $rel)"; cp "$ko" "$R/$rel"; done
cp $X/lib/modules/$KV/modules.{order,builtin,builtin.modinfo} $R/lib/modules/$KV/
depmod -b $R $KV
cp $X/boot/vmlinuz-$KV "$OUT/vmlinuz"
echo "root:x:0:0:root:/root:/bin/sh" >$R/etc/passwd; echo "root:x:0:" >$R/etc/group
printf '127.0.0.1 localhost\n' >$R/etc/hosts
cp "$HERE/init" $R/init; chmod 755 $R/init; cp "$HERE/vmpeer-lib.sh" $R/etc/vmpeer-lib.sh
(cd $R && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initrd.img"
echo "$stamp" >"$OUT/stamp"
echo "peer-vm: kernel $KV $(du -h $OUT/vmlinuz | cut -f1), initrd $(du -h $OUT/initrd.img | cut -f1)"
