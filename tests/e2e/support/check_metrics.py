#!/usr/bin/env python3
"""Run with Debian's /usr/bin/python3 (python3-prometheus-client).

Parses /metrics with prometheus_client's text parser (the format's
reference implementation) and checks the figures against what the test
made.

Usage: check_metrics.py METRICS_FILE up=N setups=N
"""
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    path, *wants = sys.argv[1:]
    want = dict(w.split("=") for w in wants)
    samples = {}
    for fam in text_string_to_metric_families(open(path).read()):
        for s in fam.samples:
            samples.setdefault(s.name, []).append(s)

    def value(name, **labels):
        return sum(s.value for s in samples.get(name, [])
                   if all(s.labels.get(k) == v for k, v in labels.items()))

    up = value("mlpppd_sessions", state="up", type="pppoe")
    if up != float(want["up"]):
        sys.exit(f"mlpppd_sessions{{state=up,type=pppoe}} = {up}, want {want['up']}")
    setups = value("mlpppd_session_setups_total", type="pppoe")
    if setups != float(want["setups"]):
        sys.exit(f"mlpppd_session_setups_total{{type=pppoe}} = {setups}, want {want['setups']}")
    if value("mlpppd_auth_latency_seconds_count") < float(want["setups"]):
        sys.exit("mlpppd_auth_latency_seconds_count below the logins made")
    # Traffic: LCP echoes and NCP negotiation alone move octets; every
    # interface of an up session must show some.
    ifaces = {s.labels["iface"] for s in samples.get("mlpppd_interface_octets_total", [])}
    if len(ifaces) < int(want["up"]):
        sys.exit(f"interface counters for {sorted(ifaces)}, want {want['up']} interfaces")
    for needed in ("mlpppd_uptime_seconds", "mlpppd_build_info", "mlpppd_radius_requests_total"):
        if needed not in samples:
            sys.exit(f"missing {needed}")
    print("metrics ok")


if __name__ == "__main__":
    main()
