#!/usr/bin/env python3
"""A scripted telnet client for mlpppd's console, for the e2e tests.

Speaks just enough telnet (RFC 854) to talk to a server-side line editor:
answers every DO/WILL with WONT/DONT except SGA and ECHO, strips IAC
sequences from what it reads, and waits for prompts rather than sleeping.

Usage: console_client.py HOST PORT USER PASSWORD CMD [CMD ...]
Prints every command's output as "### <cmd>\n<output>" blocks. With USER
"-" no login is attempted (console auth disabled). Exit status 3 when the
login fails ("Login failed" is printed).
"""
import re
import socket
import sys
import time

IAC, DONT, DO, WONT, WILL, SB, SE = 255, 254, 253, 252, 251, 250, 240
SGA, ECHO = 3, 1
PROMPT = re.compile(rb"\[[^\]\r\n]*\] $")


class Console:
    def __init__(self, host, port, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""
        self.deadline_s = timeout

    def _read_some(self):
        data = self.sock.recv(4096)
        if not data:
            raise EOFError("connection closed")
        out = bytearray()
        i = 0
        while i < len(data):
            b = data[i]
            if b != IAC:
                out.append(b)
                i += 1
                continue
            if i + 1 >= len(data):
                break
            cmd = data[i + 1]
            if cmd in (DO, DONT, WILL, WONT) and i + 2 < len(data):
                opt = data[i + 2]
                if cmd == DO and opt not in (SGA, ECHO):
                    self.sock.sendall(bytes([IAC, WONT, opt]))
                if cmd == WILL and opt not in (SGA, ECHO):
                    self.sock.sendall(bytes([IAC, DONT, opt]))
                i += 3
            elif cmd == SB:
                end = data.find(bytes([IAC, SE]), i)
                i = len(data) if end < 0 else end + 2
            elif cmd == IAC:
                out.append(IAC)
                i += 2
            else:
                i += 2
        self.buf += bytes(out)

    def expect(self, pattern):
        """Reads until pattern (bytes regex) matches; returns the text before it."""
        rx = re.compile(pattern) if isinstance(pattern, bytes) else pattern
        end = time.monotonic() + self.deadline_s
        while True:
            m = rx.search(self.buf)
            if m:
                before = self.buf[: m.start()]
                self.buf = self.buf[m.end():]
                self.last_match = m.group(0)
                return before.decode("utf-8", "replace")
            if time.monotonic() > end:
                raise TimeoutError(f"waiting for {rx.pattern!r}; have {self.buf[-200:]!r}")
            self._read_some()

    def send_line(self, line):
        self.sock.sendall(line.encode() + b"\r\n")

    def login(self, user, password):
        self.expect(rb"Username: ")
        self.send_line(user)
        self.expect(rb"Password: ")
        self.send_line(password)
        self.expect(re.compile(rb"(Welcome!|Login failed)"))
        return self.last_match == b"Welcome!"

    def run(self, cmd):
        self.send_line(cmd)
        out = self.expect(PROMPT)
        # The server echoes the command line first.
        lines = out.replace("\r\n", "\n").split("\n")
        if lines and lines[0].strip() == cmd.strip():
            lines = lines[1:]
        return "\n".join(lines).strip("\n")


def main():
    host, port, user, password, *cmds = sys.argv[1:]
    c = Console(host, int(port))
    if user != "-" and not c.login(user, password):
        print("Login failed")
        return 3
    c.expect(PROMPT)
    for cmd in cmds:
        try:
            out = c.run(cmd)
        except EOFError:
            print(f"### {cmd}\n<closed>")
            return 0
        print(f"### {cmd}\n{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
