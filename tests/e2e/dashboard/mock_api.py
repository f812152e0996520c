#!/usr/bin/env python3
"""A stand-in for mlpppd's web server, for developing the dashboard and for
tests/e2e/test_dashboard_mock.sh.

Serves src/control/web/assets/dashboard.html at /dashboard and the other
assets at /assets/<file>, plus a fake JSON API shaped like the daemon's:

  GET  /api/v1/sessions
  GET  /api/v1/counters
  POST /api/v1/sessions/{session_id}/disconnect   200 | 403 | 404

Everything needs HTTP Basic auth (401 with realm "Access Restricted", as
mpd5 answers). Users are given as NAME:PASSWORD[:PRIVILEGE]; like mpd5, a
user below "operator" may look but not disconnect (403). Session counters
grow with wall time so the page has traffic to graph.

  mock_api.py [--port 0] [--port-file F] [--user admin:secret:admin] [--sessions 4]
"""

import argparse
import base64
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

ASSETS_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'src', 'control', 'web',
                 'assets'))
CONTENT_TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
}
PRIVILEGES = {'user': 0, 'operator': 1, 'admin': 2}
TYPES = ['pppoe', 'l2tp', 'pptp']
USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']


class FakeDaemon:
    """Sessions whose octet counters grow linearly from their start time."""

    def __init__(self, count, idle=False):
        self.lock = threading.Lock()
        self.started = time.monotonic()
        self.ended_in = 0  # octets of sessions that have ended, kept in totals
        self.ended_out = 0
        self.setups = {}
        self.sessions = []
        for i in range(count):
            kind = TYPES[i % len(TYPES)]
            self.setups[kind] = self.setups.get(kind, 0) + 1
            self.sessions.append({
                'session_id': f'{0x5e55100 + i:x}',
                'link': f'{kind}-{i + 1}',
                'bundle': f'B-{i + 1}',
                'iface': f'ppp{i}',
                'type': kind,
                'user': USERS[i % len(USERS)],
                'peer_addr': f'02:00:00:00:00:{i + 1:02x}' if kind == 'pppoe' else f'192.0.2.{i + 1}:1701',
                'ip': f'10.0.0.{i + 10}',
                'state': 'UP',
                # Different rates per session so sorting by rate is visible.
                'in_rate': 0 if idle else 40_000 * (i + 1),  # octets/s
                'out_rate': 0 if idle else 15_000 * (i + 2),
                'start': self.started - 60 * (i + 1),
            })

    def _view(self, s, now):
        up = now - s['start']
        in_octets = int(up * s['in_rate'])
        out_octets = int(up * s['out_rate'])
        view = {k: v for k, v in s.items() if k not in ('in_rate', 'out_rate', 'start')}
        view.update(up_seconds=int(up), in_octets=in_octets, out_octets=out_octets,
                    in_packets=in_octets // 500, out_packets=out_octets // 500)
        return view

    def sessions_json(self):
        now = time.monotonic()
        with self.lock:
            return {'sessions': [self._view(s, now) for s in self.sessions]}

    def counters_json(self):
        now = time.monotonic()
        with self.lock:
            views = [self._view(s, now) for s in self.sessions]
            totals = {
                'in_octets': self.ended_in + sum(v['in_octets'] for v in views),
                'out_octets': self.ended_out + sum(v['out_octets'] for v in views),
            }
            totals['in_packets'] = totals['in_octets'] // 500
            totals['out_packets'] = totals['out_octets'] // 500
            return {
                'version': 'mlpppd 0.1.0 (mock)',
                'pid': os.getpid(),
                'uptime_seconds': int(now - self.started) + 3600,
                'sessions_up': len(views),
                'links': len(views),
                'setups': dict(self.setups),
                'failures': [{'type': 'pppoe', 'cause': 'auth failed', 'count': 2}],
                'auth': {'accepts': len(self.setups), 'rejects': 2,
                         'latency_us': {'count': 6, 'mean': 1800, 'p50': 1500, 'p99': 4200, 'max': 4300}},
                'radius': {'requests': 0, 'timeouts': 0, 'retransmits': 0},
                'totals': totals,
            }

    def disconnect(self, session_id):
        now = time.monotonic()
        with self.lock:
            for s in self.sessions:
                if s['session_id'] == session_id:
                    v = self._view(s, now)
                    self.ended_in += v['in_octets']
                    self.ended_out += v['out_octets']
                    self.sessions.remove(s)
                    return True
            return False


def make_handler(daemon, users):

    class Handler(BaseHTTPRequestHandler):
        server_version = 'mlpppd-mock'
        protocol_version = 'HTTP/1.1'

        def log_message(self, fmt, *args):
            if os.environ.get('MOCK_VERBOSE'):
                sys.stderr.write('mock_api: ' + fmt % args + '\n')

        def _send(self, code, body, ctype='application/json', extra=None):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(data)))
            self.send_header('Cache-Control', 'no-store')
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != 'HEAD':
                self.wfile.write(data)

        def _privilege(self):
            """The caller's privilege, or None (after answering 401)."""
            auth = self.headers.get('Authorization', '')
            if auth.startswith('Basic '):
                try:
                    name, _, password = base64.b64decode(auth[6:]).decode().partition(':')
                except ValueError:
                    name, password = '', ''
                user = users.get(name)
                if user and hmac.compare_digest(user[0].encode(), password.encode()):
                    return user[1]
            self._send(401, {'error': 'authentication required'},
                       extra={'WWW-Authenticate': 'Basic realm="Access Restricted"'})
            return None

        def _drain(self):
            length = int(self.headers.get('Content-Length') or 0)
            if length:
                self.rfile.read(length)

        def do_GET(self):
            self._drain()
            if self._privilege() is None:
                return
            path = urlsplit(self.path).path
            if path == '/dashboard':
                return self._asset('dashboard.html')
            if path.startswith('/assets/'):
                return self._asset(path[len('/assets/'):])
            if path == '/api/v1/sessions':
                return self._send(200, daemon.sessions_json())
            if path == '/api/v1/counters':
                return self._send(200, daemon.counters_json())
            self._send(404, {'error': 'not found'})

        do_HEAD = do_GET

        def do_POST(self):
            self._drain()
            privilege = self._privilege()
            if privilege is None:
                return
            parts = urlsplit(self.path).path.split('/')
            # ['', 'api', 'v1', 'sessions', ID, 'disconnect']
            if len(parts) != 6 or parts[1:4] != ['api', 'v1', 'sessions'] or parts[5] != 'disconnect':
                return self._send(404, {'error': 'not found'})
            if privilege < PRIVILEGES['operator']:
                return self._send(403, {'error': 'operator privilege required'})
            if not daemon.disconnect(unquote(parts[4])):
                return self._send(404, {'error': 'no such session'})
            self._send(200, {'ok': True})

        def _asset(self, name):
            # Only plain file names from the assets folder, like the daemon's
            # embedded table: no subdirectories, no "..".
            ext = os.path.splitext(name)[1]
            if '/' in name or name.startswith('.') or ext not in CONTENT_TYPES:
                return self._send(404, {'error': 'not found'})
            try:
                with open(os.path.join(ASSETS_DIR, name), 'rb') as f:
                    data = f.read()
            except OSError:
                return self._send(404, {'error': 'not found'})
            self._send(200, data, CONTENT_TYPES[ext])

    return Handler


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--host', default='127.0.0.1')
    ap.add_argument('--port', type=int, default=0, help='0 picks a free port')
    ap.add_argument('--port-file', help='write the chosen port here once listening')
    ap.add_argument('--user', action='append', default=[],
                    help='NAME:PASSWORD[:admin|operator|user] (repeatable; default admin:secret:admin)')
    ap.add_argument('--sessions', type=int, default=4)
    ap.add_argument('--idle', action='store_true', help='sessions pass no traffic (flat graphs)')
    args = ap.parse_args()

    users = {}
    for spec in args.user or ['admin:secret:admin']:
        parts = spec.split(':')
        if len(parts) not in (2, 3):
            ap.error(f'--user {spec!r}: want NAME:PASSWORD[:PRIVILEGE]')
        name, password = parts[0], parts[1]
        level = parts[2] if len(parts) == 3 else 'user'  # mpd5: privilege defaults to user
        if level not in PRIVILEGES:
            ap.error(f'unknown privilege {level!r} in --user {spec!r}')
        users[name] = (password, PRIVILEGES[level])

    server = ThreadingHTTPServer((args.host, args.port), make_handler(FakeDaemon(args.sessions, args.idle), users))
    server.daemon_threads = True
    port = server.server_address[1]
    if args.port_file:
        # Written to a temporary name then renamed, so a reader never sees
        # a half-written port.
        tmp = args.port_file + '.tmp'
        with open(tmp, 'w') as f:
            f.write(f'{port}\n')
        os.replace(tmp, args.port_file)
    print(f'mock_api: http://{args.host}:{port}/dashboard', flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
