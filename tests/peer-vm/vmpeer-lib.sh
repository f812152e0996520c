# Sourced in the VM before /job/run.sh: helpers for role scripts.
# busybox-static's sh runs its own applets for bare names (SH_STANDALONE):
# force iproute2 for `ip`.
ip() { /usr/sbin/ip "$@"; }
up() { cut -d' ' -f1 /proc/uptime; }
# vm_ready: tells the host the role's daemons are listening.
vm_ready() { touch /job/out/ready; echo "VMPEER: ready at $(up)"; }
# wait_for SECS CMD...: runs CMD every 0.2 s until it succeeds.
wait_for() {
  local n=$(( ${1} * 5 )); shift
  while [ $n -gt 0 ]; do "$@" && return 0; sleep 0.2; n=$((n-1)); done
  return 1
}
# vm_serve: runs the host's commands until the host writes /job/stop.
# Command N arrives as /job/cmd/N.sh (written whole, then renamed); its
# output goes to /job/out/cmd-N.out and its exit status to /job/out/cmd-N.rc.
vm_serve() {
  local n=1
  while [ ! -f /job/stop ]; do
    if [ -f /job/cmd/$n.sh ]; then
      ( . /job/cmd/$n.sh ) > /job/out/cmd-$n.out 2>&1 < /dev/null
      echo $? > /job/out/cmd-$n.rc.tmp
      mv /job/out/cmd-$n.rc.tmp /job/out/cmd-$n.rc
      n=$((n+1))
    else
      sleep 0.1
    fi
  done
}
