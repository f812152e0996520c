# Helpers every role gets (sourced after vmpeer-lib.sh, before the role).

# data_serve PORT: an HTTP server on PORT (busybox httpd) for transfers the
# host drives in both directions: GET /blob is 1 MiB of random bytes whose
# md5 is in /job/out/blob.md5; POST /cgi-bin/md5 answers the md5 of the body.
# (busybox-static's wget crashes in this initramfs, so the VM never fetches.)
data_serve() {
  [ -f /job/out/blob.md5 ] && return 0
  mkdir -p /tmp/www/cgi-bin
  dd if=/dev/urandom of=/tmp/www/blob bs=1024 count=1024 2>/dev/null
  md5sum /tmp/www/blob | cut -d' ' -f1 > /job/out/blob.md5
  printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\nhead -c "$CONTENT_LENGTH" | md5sum | cut -d" " -f1\n' > /tmp/www/cgi-bin/md5
  chmod 755 /tmp/www/cgi-bin/md5
  httpd -p "$1" -h /tmp/www
}
# ll_addr IFACE: the IPv6 link-local address of IFACE.
ll_addr() { ip -6 -o addr show dev "$1" scope link | awk '{print $4}' | cut -d/ -f1 | head -1; }
# v4_addr IFACE: the IPv4 address of IFACE.
v4_addr() { ip -4 -o addr show dev "$1" | awk '{print $4}' | cut -d/ -f1 | head -1; }
