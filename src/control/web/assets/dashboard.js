// mlpppd live dashboard: polls the JSON API once a second and shows the
// daemon summary, a total traffic graph, the session table (filter, sort,
// disconnect) and the graph of the selected session. Plain JS and <canvas>
// so the daemon can serve it embedded, with no external resources.
//
// API (same origin; the browser resends the Basic auth the page was loaded
// with, so no credentials live in this script):
//   GET  /api/v1/sessions                        {"sessions":[...]}
//   GET  /api/v1/counters                        daemon-wide figures
//   POST /api/v1/sessions/{id}/disconnect        {"ok":true} | {"error":...}
'use strict';

(() => {
  const API = '/api/v1';
  const POLL_MS = 1000;
  const REQUEST_TIMEOUT_MS = 5000;  // a hung request must not stall polling
  const WINDOW_MS = 120 * 1000;     // graphs show the last two minutes
  // Consecutive samples further apart than this are not joined by a line,
  // so an outage (API unreachable, tab throttled) shows as a gap instead of
  // a misleading straight ramp.
  const GAP_MS = 3.5 * POLL_MS;

  const $ = (id) => document.getElementById(id);
  const el = {
    version: $('version'),
    uptime: $('uptime'),
    sessionsUp: $('sessions-up'),
    inRate: $('total-in-rate'),
    outRate: $('total-out-rate'),
    counters: $('counters'),
    status: $('status'),
    totalGraph: $('total-graph'),
    filter: $('filter'),
    rowCount: $('row-count'),
    table: $('sessions'),
    tbody: $('session-rows'),
    empty: $('empty'),
    detail: $('session-detail'),
    detailId: $('detail-id'),
    detailInfo: $('detail-info'),
    sessionGraph: $('session-graph'),
    dialog: $('confirm-dialog'),
    confirmText: $('confirm-text'),
  };

  // ---------------------------------------------------------------- format

  const DASH = '\u2014';
  const SI = ['', 'k', 'M', 'G', 'T', 'P'];

  function formatSi(value, unit) {
    if (value == null || !Number.isFinite(value)) return DASH;
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1000 && i < SI.length - 1) {
      v /= 1000;
      i++;
    }
    if (i === 0) return `${Math.round(v)} ${unit}`;
    return `${v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${SI[i]}${unit}`;
  }
  const formatRate = (bps) => formatSi(bps, 'b/s');
  const formatBytes = (n) => formatSi(n, 'B');

  function formatDuration(seconds) {
    if (seconds == null || !(seconds >= 0)) return DASH;
    const s = Math.floor(seconds);
    const pad = (n) => String(n).padStart(2, '0');
    const d = Math.floor(s / 86400);
    const hms = `${Math.floor((s % 86400) / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
    return d > 0 ? `${d}d ${hms}` : hms;
  }

  // ------------------------------------------------------------ rate series

  // Turns cumulative octet counters sampled at each poll into bits/s, and
  // keeps the last WINDOW_MS of rates for the graph.
  class RateSeries {
    constructor() {
      this.prev = null;   // {t, in, out}: the last counters seen
      this.points = [];   // [{t, in, out}] in bits/s, oldest first
    }

    // Records counters read at time t (ms). fallback ({in, out} bits/s) is
    // used when a counter went backwards: the daemon's totals may be sums
    // over live sessions, which drop when a session ends, and a drop is not
    // negative traffic.
    add(t, inOctets, outOctets, fallback) {
      const prev = this.prev;
      this.prev = {t, in: inOctets, out: outOctets};
      if (prev && t > prev.t) {
        const dt = (t - prev.t) / 1000;
        const din = inOctets - prev.in;
        const dout = outOctets - prev.out;
        if (din >= 0 && dout >= 0) {
          this.points.push({t, in: (din * 8) / dt, out: (dout * 8) / dt});
        } else if (fallback) {
          this.points.push({t, in: fallback.in, out: fallback.out});
        }
      }
      while (this.points.length && this.points[0].t < t - WINDOW_MS - GAP_MS) this.points.shift();
    }

    // The newest rate, or null until two polls have been seen.
    latest() {
      const p = this.points[this.points.length - 1];
      return p && this.prev && p.t === this.prev.t ? p : null;
    }
  }

  // ------------------------------------------------------------------ graph

  // Colours come from the stylesheet so the legend and the lines agree.
  const css = getComputedStyle(document.documentElement);
  const color = (name, dflt) => css.getPropertyValue(name).trim() || dflt;
  const COLORS = {
    in: color('--in', '#1f6fd1'),
    out: color('--out', '#e07b00'),
    panel: color('--panel', '#fff'),
    grid: color('--grid', '#e8ebee'),
    muted: color('--muted', '#66707a'),
  };

  // The smallest 1/2/5 x 10^n at or above v, so axis labels stay round.
  function niceCeil(v) {
    if (!(v > 0)) return 1000;
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function drawGraph(canvas, points, now) {
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (!w || !h) return;  // hidden: nothing to draw into
    // Draw at device resolution so lines stay crisp on HiDPI screens.
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = COLORS.panel;
    ctx.fillRect(0, 0, w, h);

    const left = 72, right = w - 10, top = 10, bottom = h - 22;
    const pw = right - left, ph = bottom - top;
    const visible = points.filter((p) => p.t >= now - WINDOW_MS);
    const max = niceCeil(Math.max(0, ...visible.map((p) => Math.max(p.in, p.out))));
    const x = (t) => right - ((now - t) / WINDOW_MS) * pw;
    const y = (v) => bottom - (v / max) * ph;

    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    ctx.strokeStyle = COLORS.grid;
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const gy = Math.round(y((max * i) / 4)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, gy);
      ctx.lineTo(right, gy);
      ctx.stroke();
      ctx.fillText(formatRate((max * i) / 4), left - 6, gy);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let s = 120; s >= 0; s -= 30) {
      ctx.fillText(s ? `-${s}s` : 'now', Math.min(x(now - s * 1000), right - 12), bottom + 6);
    }

    if (visible.length === 0) {
      ctx.fillText('waiting for data\u2026', left + pw / 2, top + ph / 2);
      return;
    }
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top - 1, pw, ph + 2);  // room for a 2 px line at zero
    ctx.clip();
    for (const key of ['in', 'out']) drawSeries(ctx, visible, key, x, y, bottom);
    ctx.restore();
  }

  // One series as runs of joined samples (split at gaps), each filled
  // faintly below and stroked; a lone sample becomes a short tick so it is
  // still visible.
  function drawSeries(ctx, points, key, x, y, bottom) {
    const runs = [];
    for (const p of points) {
      const run = runs[runs.length - 1];
      if (run && p.t - run[run.length - 1].t <= GAP_MS) run.push(p);
      else runs.push([p]);
    }
    ctx.strokeStyle = ctx.fillStyle = COLORS[key];
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    for (const run of runs) {
      const pts = run.length === 1 ? [{...run[0], t: run[0].t - POLL_MS}, run[0]] : run;
      ctx.beginPath();
      pts.forEach((p, i) => (i ? ctx.lineTo(x(p.t), y(p[key])) : ctx.moveTo(x(p.t), y(p[key]))));
      ctx.stroke();
      ctx.lineTo(x(pts[pts.length - 1].t), bottom);
      ctx.lineTo(x(pts[0].t), bottom);
      ctx.closePath();
      ctx.globalAlpha = 0.12;
      ctx.fill();
      ctx.globalAlpha = 1;
    }
  }

  // ----------------------------------------------------------------- status

  let statusSource = '';  // 'poll' or 'action': who owns the current text
  let statusTimer = null;

  // kind: 'error' | 'ok' | ''. Poll errors clear themselves once polling
  // recovers; an action's error stays until the next action so the
  // operator does not miss it.
  function setStatus(text, kind = '', source = 'action') {
    clearTimeout(statusTimer);
    el.status.textContent = text;
    el.status.className = `status ${kind}`.trim();
    el.status.dataset.kind = kind;
    statusSource = text ? source : '';
    if (kind === 'ok') statusTimer = setTimeout(() => setStatus(''), 15000);
  }

  // ------------------------------------------------------------------ state

  let sessions = [];           // last /sessions list, each with in_rate/out_rate
  let sessionKeys = new Set();  // their keys (see rowKey)
  const series = new Map();     // key -> RateSeries
  const totals = new RateSeries();
  let selectedKey = null;

  // Rows are keyed by Acct-Session-Id; a session without one (not expected
  // from the daemon, but a peer-driven state) still gets its own row, keyed
  // by bundle, and cannot be disconnected since the API needs the id.
  const rowKey = (s) => (s.session_id ? `id:${s.session_id}` : `bundle:${s.bundle ?? s.link ?? ''}`);
  let sort = {key: 'session_id', dir: 1};

  // ------------------------------------------------------------------ table

  // Column order matches the <th>s in dashboard.html. Cells are filled with
  // textContent only: user names and peer addresses come from the network.
  const COLUMNS = [
    {key: 'session_id'},
    {key: 'user'},
    {key: 'iface'},
    {key: 'type'},
    {key: 'peer_addr'},
    {key: 'ip'},
    {key: 'up_seconds', num: true, fmt: formatDuration},
    {key: 'in_rate', num: true, fmt: formatRate},
    {key: 'out_rate', num: true, fmt: formatRate},
    {key: 'in_octets', num: true, fmt: formatBytes},
    {key: 'out_octets', num: true, fmt: formatBytes},
  ];
  const FILTER_KEYS = ['user', 'iface', 'ip', 'session_id', 'peer_addr'];
  const rows = new Map();  // key -> {tr, cells, button}

  function makeRow(key, id) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'session-row';
    tr.dataset.sessionId = id;
    tr.dataset.key = key;
    tr.tabIndex = 0;
    const cells = COLUMNS.map((c) => {
      const td = tr.insertCell();
      td.dataset.col = c.key;
      if (c.num) td.className = 'num';
      return td;
    });
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Disconnect';
    button.dataset.testid = 'disconnect';
    button.disabled = !id;
    tr.insertCell().append(button);
    const row = {tr, cells, button};
    rows.set(key, row);
    return row;
  }

  function fillRow(row, s) {
    COLUMNS.forEach((c, i) => {
      const v = s[c.key];
      const text = c.fmt ? c.fmt(v) : v == null || v === '' ? DASH : String(v);
      if (row.cells[i].textContent !== text) row.cells[i].textContent = text;
      // Exact counters on hover; the cell shows them abbreviated.
      if (c.key.endsWith('_octets')) row.cells[i].title = `${v ?? ''} octets`;
    });
    row.tr.setAttribute('aria-selected', String(s.key === selectedKey));
  }

  function matches(s, terms) {
    const hay = FILTER_KEYS.map((k) => String(s[k] ?? '').toLowerCase()).join('\n');
    return terms.every((t) => hay.includes(t));
  }

  function compare(a, b) {
    const col = COLUMNS.find((c) => c.key === sort.key);
    let r;
    if (col && col.num) {
      // Unknown values (no rate yet, not up) sort below every real one.
      const av = Number.isFinite(a[sort.key]) ? a[sort.key] : -Infinity;
      const bv = Number.isFinite(b[sort.key]) ? b[sort.key] : -Infinity;
      r = av === bv ? 0 : av < bv ? -1 : 1;
    } else {
      r = String(a[sort.key] ?? '').localeCompare(String(b[sort.key] ?? ''), undefined, {numeric: true});
    }
    // A stable tie-break keeps rows from jumping between polls.
    if (r === 0 && sort.key !== 'session_id') {
      r = a.key.localeCompare(b.key, undefined, {numeric: true});
    }
    return r * sort.dir;
  }

  function renderTable() {
    const terms = el.filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = sessions.filter((s) => matches(s, terms)).sort(compare);
    // Rows are reused and only moved when out of place, so a button the
    // operator (or a test) is clicking is never replaced under the pointer.
    shown.forEach((s, i) => {
      const row = rows.get(s.key) || makeRow(s.key, s.session_id);
      fillRow(row, s);
      const at = el.tbody.children[i];
      if (at !== row.tr) el.tbody.insertBefore(row.tr, at || null);
    });
    const keep = new Set(shown.map((s) => s.key));
    for (const [key, row] of rows) {
      if (keep.has(key)) continue;
      row.tr.remove();
      if (!sessionKeys.has(key)) rows.delete(key);
    }
    el.rowCount.textContent = terms.length
      ? `${shown.length} of ${sessions.length} sessions`
      : `${sessions.length} session${sessions.length === 1 ? '' : 's'}`;
    el.empty.hidden = shown.length > 0;
    el.empty.textContent = sessions.length ? 'No session matches the filter.' : 'No sessions.';
  }

  function setSort(key) {
    const col = COLUMNS.find((c) => c.key === key);
    // Numbers start largest first: the busiest or longest session is the
    // one usually looked for.
    sort = sort.key === key ? {key, dir: -sort.dir} : {key, dir: col && col.num ? -1 : 1};
    applySort();
  }

  function applySort() {
    for (const th of el.table.tHead.querySelectorAll('th[data-sort]')) {
      if (th.dataset.sort === sort.key) th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    renderTable();
  }

  // ----------------------------------------------------------------- detail

  function select(key) {
    selectedKey = key;
    for (const [k, row] of rows) row.tr.setAttribute('aria-selected', String(k === key));
    renderDetail(performance.now());
  }

  function renderDetail(now) {
    if (selectedKey == null) {
      el.detail.hidden = true;
      return;
    }
    const s = sessions.find((x) => x.key === selectedKey);
    const id = selectedKey.startsWith('id:') ? selectedKey.slice(3) : '';
    el.detail.hidden = false;
    el.detail.dataset.sessionId = id;
    el.detailId.textContent = id || DASH;
    // An ended session keeps its last graph, marked, until another is chosen.
    el.detailInfo.textContent = s
      ? [s.user, s.iface, s.type, s.peer_addr, s.ip].filter(Boolean).join(' \u00b7 ')
      : '(ended)';
    const ser = series.get(selectedKey);
    drawGraph(el.sessionGraph, ser ? ser.points : [], now);
  }

  // ---------------------------------------------------------------- summary

  function renderSummary(c) {
    el.version.textContent = c.version ?? DASH;
    el.uptime.textContent = formatDuration(c.uptime_seconds);
    el.sessionsUp.textContent = c.sessions_up ?? DASH;
    const r = totals.latest();
    el.inRate.textContent = r ? formatRate(r.in) : DASH;
    el.outRate.textContent = r ? formatRate(r.out) : DASH;

    const parts = [];
    if (c.links != null) parts.push(`links ${c.links}`);
    const setups = Object.entries(c.setups || {});
    if (setups.length) parts.push(`setups ${setups.map(([t, n]) => `${t} ${n}`).join(', ')}`);
    const failures = c.failures || [];
    if (failures.length) parts.push(`failures ${failures.reduce((n, f) => n + (f.count || 0), 0)}`);
    if (c.auth) {
      const lat = c.auth.latency_us || {};
      const p99 = lat.count ? `, p99 ${(lat.p99 / 1000).toFixed(1)} ms` : '';
      parts.push(`auth ${c.auth.accepts ?? 0} accepted / ${c.auth.rejects ?? 0} rejected${p99}`);
    }
    if (c.radius) {
      parts.push(`radius ${c.radius.requests ?? 0} requests, ${c.radius.timeouts ?? 0} timeouts, ` +
                 `${c.radius.retransmits ?? 0} retransmits`);
    }
    el.counters.textContent = parts.join(' \u00b7 ');
    el.counters.title = failures.map((f) => `${f.type} ${f.cause}: ${f.count}`).join('\n');
  }

  // ---------------------------------------------------------------- polling

  async function getJson(path) {
    let res;
    try {
      res = await fetch(API + path, {
        cache: 'no-store',
        credentials: 'same-origin',
        headers: {Accept: 'application/json'},
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (e) {
      throw new Error(`${path}: ${e.message}`);  // the browser's message omits the URL
    }
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${res.statusText}`.trim());
    return res.json();
  }

  function update(now, list, counters) {
    // Ids are compared with the DOM's data-session-id, which is a string.
    list = list.map((s) => {
      const t = {...s, session_id: s.session_id == null ? '' : String(s.session_id)};
      return {...t, key: rowKey(t)};
    });
    sessionKeys = new Set(list.map((s) => s.key));
    let sumIn = 0, sumOut = 0;
    sessions = list.map((s) => {
      let ser = series.get(s.key);
      if (!ser) series.set(s.key, (ser = new RateSeries()));
      ser.add(now, Number(s.in_octets) || 0, Number(s.out_octets) || 0);
      const r = ser.latest();
      if (r) {
        sumIn += r.in;
        sumOut += r.out;
      }
      return {...s, in_rate: r ? r.in : null, out_rate: r ? r.out : null};
    });
    // Forget ended sessions, except the selected one whose graph stays up.
    for (const key of series.keys()) if (!sessionKeys.has(key) && key !== selectedKey) series.delete(key);

    const t = counters.totals;
    if (t) totals.add(now, Number(t.in_octets) || 0, Number(t.out_octets) || 0, {in: sumIn, out: sumOut});
    else totals.add(now, 0, 0, {in: sumIn, out: sumOut});  // no totals: the per-session sum

    renderSummary(counters);
    renderTable();
    renderDetail(now);
    drawGraph(el.totalGraph, totals.points, now);
    el.totalGraph.dataset.samples = String(totals.points.length);
  }

  let pollTimer = null;
  let polling = false;
  let pollAgain = false;

  // Polls are chained (the next is scheduled when one finishes) so a slow
  // daemon never has requests piling up.
  async function poll() {
    clearTimeout(pollTimer);
    polling = true;
    pollAgain = false;
    try {
      const [s, c] = await Promise.all([getJson('/sessions'), getJson('/counters')]);
      update(performance.now(), Array.isArray(s.sessions) ? s.sessions : [], c || {});
      if (statusSource === 'poll') setStatus('');
    } catch (e) {
      setStatus(`Cannot read the API: ${e.message}`, 'error', 'poll');
    } finally {
      polling = false;
      pollTimer = setTimeout(poll, pollAgain ? 0 : POLL_MS);
    }
  }

  // Used after an action: a poll already in flight may have been answered
  // before the action took effect, so ask for one more right after it.
  function pollSoon() {
    if (polling) pollAgain = true;
    else poll();
  }

  // ------------------------------------------------------------- disconnect

  let pendingDisconnect = null;

  function askDisconnect(id) {
    const s = sessions.find((x) => x.session_id === id);
    pendingDisconnect = id;
    el.confirmText.textContent = `Disconnect session ${id}${s && s.user ? ` (${s.user})` : ''}?`;
    el.dialog.returnValue = '';
    el.dialog.showModal();  // focuses Cancel first: Enter must not disconnect
  }

  async function disconnect(id) {
    const row = rows.get(rowKey({session_id: id}));
    if (row) row.button.disabled = true;
    try {
      const res = await fetch(`${API}/sessions/${encodeURIComponent(id)}/disconnect`, {
        method: 'POST',
        credentials: 'same-origin',
        // A custom header makes this a non-simple request: another site's
        // form cannot forge it, whatever the daemon's CSRF stance.
        headers: {Accept: 'application/json', 'X-Requested-With': 'mlpppd-dashboard'},
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      let body = {};
      try {
        body = await res.json();
      } catch {
        // Not JSON (a proxy's error page, say): the status code tells enough.
      }
      if (res.ok && body.ok !== false) {
        setStatus(`Session ${id} disconnected.`, 'ok');
      } else {
        const why = body.error || res.statusText || 'refused';
        setStatus(`Disconnect of session ${id} failed: HTTP ${res.status}: ${why}`, 'error');
      }
    } catch (e) {
      setStatus(`Disconnect of session ${id} failed: ${e.message}`, 'error');
    } finally {
      if (row) row.button.disabled = false;
      pollSoon();
    }
  }

  // ----------------------------------------------------------------- wiring

  el.tbody.addEventListener('click', (ev) => {
    const tr = ev.target.closest('tr');
    if (!tr) return;
    if (ev.target.closest('button[data-testid="disconnect"]')) askDisconnect(tr.dataset.sessionId);
    else select(tr.dataset.key);
  });
  el.tbody.addEventListener('keydown', (ev) => {
    if ((ev.key === 'Enter' || ev.key === ' ') && ev.target.matches('tr')) {
      ev.preventDefault();
      select(ev.target.dataset.key);
    }
  });
  for (const th of el.table.tHead.querySelectorAll('th[data-sort]')) {
    th.tabIndex = 0;
    th.addEventListener('click', () => setSort(th.dataset.sort));
    th.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        setSort(th.dataset.sort);
      }
    });
  }
  el.filter.addEventListener('input', renderTable);
  el.dialog.addEventListener('close', () => {
    const id = pendingDisconnect;
    pendingDisconnect = null;
    if (el.dialog.returnValue === 'ok' && id != null) disconnect(id);
  });
  window.addEventListener('resize', () => {
    const now = performance.now();
    drawGraph(el.totalGraph, totals.points, now);
    renderDetail(now);
  });

  applySort();  // marks the initial sort column
  drawGraph(el.totalGraph, [], performance.now());
  poll();
})();
