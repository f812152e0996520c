#!/usr/bin/env python3
"""Checks the shapes of mpd5's /json and of the JSON API (docs/api.md).

Usage: check_api.py MPD_JSON SESSIONS_JSON COUNTERS_JSON N_SESSIONS
Exits non-zero naming the first field that is missing or of the wrong type.
"""
import json
import sys

STR, INT, BOOL, LIST, DICT = str, int, bool, list, dict


def check(obj, schema, where):
    for key, typ in schema.items():
        if key not in obj:
            sys.exit(f"{where}: missing {key!r} in {json.dumps(obj)[:300]}")
        if typ is INT and isinstance(obj[key], bool) or not isinstance(obj[key], typ):
            sys.exit(f"{where}.{key}: {type(obj[key]).__name__}, want {typ.__name__}")


def main():
    mpd, sessions, counters, n = sys.argv[1:5]
    n = int(n)
    # mpd5 web.c /json: bundles with their links, idle links, repeaters.
    m = json.load(open(mpd))
    check(m, {"links": LIST, "bundles": LIST, "repeaters": LIST}, "/json")
    if len(m["bundles"]) != n:
        sys.exit(f"/json: {len(m['bundles'])} bundles, want {n}")
    for b in m["bundles"]:
        check(b, {"bundle": STR, "iface": STR, "state": STR, "ipcp": STR, "ipv6cp": STR,
                  "ccp": STR, "ecp": STR, "links": LIST}, "/json bundle")
        if b["state"] != "Up":
            sys.exit(f"/json: bundle state {b['state']}")
        for link in b["links"]:
            check(link, {"link": STR, "lcp": STR, "auth": STR, "type": STR, "state": STR,
                         "peer_ip": STR, "ipcp_ip": STR}, "/json link")
            if link["lcp"] != "Opened":
                sys.exit(f"/json: link lcp {link['lcp']}")
    s = json.load(open(sessions))
    check(s, {"sessions": LIST}, "/api/v1/sessions")
    if len(s["sessions"]) != n:
        sys.exit(f"/api/v1/sessions: {len(s['sessions'])} sessions, want {n}")
    for x in s["sessions"]:
        check(x, {"session_id": STR, "link": STR, "bundle": STR, "iface": STR, "type": STR,
                  "user": STR, "peer_addr": STR, "ip": STR, "state": STR, "up_seconds": INT,
                  "in_octets": INT, "out_octets": INT, "in_packets": INT, "out_packets": INT},
              "session")
        if x["type"] != "pppoe" or x["state"] != "up" or not x["ip"].startswith("10.0."):
            sys.exit(f"session: {x}")
    c = json.load(open(counters))
    check(c, {"version": STR, "pid": INT, "uptime_seconds": INT, "sessions_up": INT,
              "links": INT, "setups": DICT, "failures": LIST, "auth": DICT, "radius": DICT,
              "totals": DICT}, "/api/v1/counters")
    if c["sessions_up"] != n or c["setups"].get("pppoe") != n:
        sys.exit(f"counters: {c}")
    check(c["auth"], {"accepts": INT, "rejects": INT, "latency_us": DICT}, "counters.auth")
    if c["auth"]["accepts"] < n:
        sys.exit(f"counters.auth: {c['auth']}")
    print("api shapes ok")


if __name__ == "__main__":
    main()
