#!/usr/bin/env bash
# Boots one peer VM for one job directory, in the foreground.
# usage: run-peer.sh JOBDIR [extra qemu args...]
# env:   VMPEER_TIMEOUT (s, default 120: the guest kills run.sh after this,
#        the host kills qemu 30 s later), VMPEER_NETNS + VMPEER_TAP (attach the
#        VM's NIC to that tap inside that namespace), VMPEER_MAC, VMPEER_MEM (MiB,
#        at least 128), PEERVM_CACHE (where build.sh put the kernel and initrd).
# Exit status 0 when the role script in the VM exited 0. Output of the whole
# console: JOBDIR/out/serial.log.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
IMG=${PEERVM_CACHE:-$TOP/build-peer-vm}/out
JOB=$(cd "$1" && pwd); shift
mkdir -p "$JOB/out"
NET=(-nic none)
if [ -n "${VMPEER_TAP:-}" ]; then
  NET=(-netdev "tap,id=n0,ifname=$VMPEER_TAP,script=no,downscript=no"
    -device "virtio-net-pci,netdev=n0,mac=${VMPEER_MAC:-52:54:00:99:00:02},romfile=")
fi
NS=()
[ -n "${VMPEER_NETNS:-}" ] && NS=(ip netns exec "$VMPEER_NETNS")
TMO=${VMPEER_TIMEOUT:-120}
T0=$(date +%s.%N)
# TCG, not KVM: this host's /dev/kvm cannot run a stock Debian kernel fast
# (see docs/testing.md).
timeout -s KILL $((TMO + 30)) "${NS[@]}" qemu-system-x86_64 -accel tcg -cpu max -smp 1 -m "${VMPEER_MEM:-256}" \
  -nographic -no-reboot -nodefaults -serial stdio -bios /usr/share/qemu/qboot.rom \
  -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" \
  -append "console=ttyS0 quiet panic=-1 vmpeer.timeout=$TMO" \
  -virtfs "local,path=$JOB,mount_tag=job,security_model=none,id=job" \
  "${NET[@]}" "$@" >"$JOB/out/serial.log" 2>&1 </dev/null
qrc=$?
T1=$(date +%s.%N)
grc=$(cat "$JOB/out/rc" 2>/dev/null || echo none)
echo "peer-vm: qemu rc=$qrc wall=$(echo "$T1 $T0" | awk '{printf "%.1f", $1-$2}')s guest rc=$grc"
[ "$grc" = 0 ]
