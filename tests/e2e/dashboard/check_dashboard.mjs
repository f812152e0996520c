#!/usr/bin/env node
// Drives mlpppd's /dashboard in headless Chromium and checks what an
// operator relies on: the session table fills from the API, the total
// traffic graph draws and keeps updating without a reload, sorting and the
// filter work, a row shows its own graph, Disconnect asks first and then
// removes the session, and (optionally) a refused disconnect is shown.
//
// Usage (flags, or positionals in this order, or environment variables):
//   node check_dashboard.mjs --url http://127.0.0.1:5006 --user admin \
//     --password secret --expect 3 --screenshot /tmp/dash.png --disconnect ID
//   node check_dashboard.mjs URL USER PASSWORD EXPECT SCREENSHOT SESSION_ID
//
//   --url          base URL of the daemon's web server      DASHBOARD_URL
//   --user         Basic auth user (operator or admin)      DASHBOARD_USER
//   --password     its password                             DASHBOARD_PASSWORD
//   --expect       number of sessions the table must show   DASHBOARD_EXPECT
//                  (default: at least one)
//   --screenshot   PNG written at the end (also on failure) DASHBOARD_SCREENSHOT
//   --disconnect   session id to disconnect (default: the   DASHBOARD_DISCONNECT
//                  first row)
//   --denied-user, --denied-password: optional user below operator; if set,
//                  its disconnect must fail visibly and leave the session
//                                                          DASHBOARD_DENIED_USER/_PASSWORD
//   --timeout      overall limit in seconds (default 60)    DASHBOARD_TIMEOUT
//   --chromium     browser binary (default /usr/bin/chromium) CHROMIUM
//
// Prints "ok - ..." per step; on any failure prints "FAIL: ..." and exits 1.
import {parseArgs} from 'node:util';

import {chromium} from 'playwright-core';

const MAX_PAGE_BYTES = 60 * 1024;  // the page and its assets, API excluded
const STEP_TIMEOUT_MS = 15000;
const POLL_MS = 100;

function options() {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {
      url: {type: 'string'},
      user: {type: 'string'},
      password: {type: 'string'},
      expect: {type: 'string'},
      screenshot: {type: 'string'},
      disconnect: {type: 'string'},
      'denied-user': {type: 'string'},
      'denied-password': {type: 'string'},
      timeout: {type: 'string'},
      chromium: {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
  });
  if (values.help) {
    console.log('usage: check_dashboard.mjs URL USER PASSWORD [EXPECT] [SCREENSHOT] [SESSION_ID] (see the header)');
    process.exit(0);
  }
  const env = process.env;
  const [pUrl, pUser, pPassword, pExpect, pShot, pSid] = positionals;
  const o = {
    url: values.url ?? pUrl ?? env.DASHBOARD_URL,
    user: values.user ?? pUser ?? env.DASHBOARD_USER,
    password: values.password ?? pPassword ?? env.DASHBOARD_PASSWORD,
    expect: values.expect ?? pExpect ?? env.DASHBOARD_EXPECT,
    screenshot: values.screenshot ?? pShot ?? env.DASHBOARD_SCREENSHOT,
    disconnect: values.disconnect ?? pSid ?? env.DASHBOARD_DISCONNECT,
    deniedUser: values['denied-user'] ?? env.DASHBOARD_DENIED_USER,
    deniedPassword: values['denied-password'] ?? env.DASHBOARD_DENIED_PASSWORD ?? '',
    timeout: Number(values.timeout ?? env.DASHBOARD_TIMEOUT ?? 60),
    chromium: values.chromium ?? env.CHROMIUM ?? '/usr/bin/chromium',
  };
  if (!o.url || o.user == null || o.password == null) {
    console.error('FAIL: need --url, --user and --password (or DASHBOARD_URL/_USER/_PASSWORD)');
    process.exit(2);
  }
  o.url = o.url.replace(/\/+$/, '');
  o.expect = o.expect == null || o.expect === '' ? null : Number(o.expect);
  if (o.expect != null && !(Number.isInteger(o.expect) && o.expect >= 1)) {
    console.error('FAIL: --expect must be a session count >= 1 (a session is needed to disconnect)');
    process.exit(2);
  }
  return o;
}

const opt = options();
const ok = (msg) => console.log(`ok - ${msg}`);

class CheckError extends Error {}

// Polls fn until it returns {done: true}; fails with what, and fn's last
// detail, when STEP_TIMEOUT_MS passes. Waiting on the page's own state
// (not on fixed sleeps) keeps the check fast and tells why it failed.
async function waitFor(what, fn, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const r = await fn();
    if (r.done) return r;
    last = r.detail ?? '';
    if (Date.now() > deadline) {
      throw new CheckError(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `; last seen: ${last}` : ''}`);
    }
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

const rowIds = (page) =>
  page.$$eval('[data-testid="session-row"]', (trs) => trs.map((tr) => tr.dataset.sessionId));
const statusOf = (page) =>
  page.$eval('[data-testid="status"]', (e) => ({text: e.textContent.trim(), kind: e.dataset.kind || ''}));
const rowSel = (id) => `[data-testid="session-row"][data-session-id="${CSS_escape(id)}"]`;

// Enough of CSS.escape for an attribute value in double quotes.
function CSS_escape(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

// Reads the canvas back and counts pixels that differ from its background
// and pixels in the in/out series colours (taken from the page's CSS), so
// a canvas with only grid lines does not pass as a graph.
function canvasPixels(page, testid) {
  return page.evaluate((tid) => {
    const c = document.querySelector(`[data-testid="${tid}"]`);
    if (!c || !c.width || !c.height || !c.offsetParent) return null;
    const rgb = (css) => {
      const t = document.createElement('canvas');
      t.width = t.height = 1;
      const x = t.getContext('2d');
      x.fillStyle = css;
      x.fillRect(0, 0, 1, 1);
      return x.getImageData(0, 0, 1, 1).data;
    };
    const root = getComputedStyle(document.documentElement);
    const series = ['--in', '--out'].map((v) => rgb(root.getPropertyValue(v).trim()));
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const bg = [d[0], d[1], d[2]];
    const near = (i, col) =>
      Math.abs(d[i] - col[0]) < 40 && Math.abs(d[i + 1] - col[1]) < 40 && Math.abs(d[i + 2] - col[2]) < 40;
    let nonBlank = 0, seriesPx = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] && (d[i] !== bg[0] || d[i + 1] !== bg[1] || d[i + 2] !== bg[2])) nonBlank++;
      if (d[i + 3] > 200 && series.some((col) => near(i, col))) seriesPx++;
    }
    return {nonBlank, seriesPx, samples: Number(c.dataset.samples || 0), w: c.width, h: c.height};
  }, testid);
}

async function waitGraph(page, testid, what) {
  const r = await waitFor(`${what} (${testid}) to draw its series`, async () => {
    const px = await canvasPixels(page, testid);
    if (!px) return {done: false, detail: 'canvas missing, hidden or empty'};
    return {done: px.nonBlank > 500 && px.seriesPx > 50, detail: JSON.stringify(px)};
  });
  return r;
}

async function waitRows(page, n, what) {
  await waitFor(what, async () => {
    const ids = await rowIds(page);
    const st = await statusOf(page);
    return {done: ids.length === n, detail: `${ids.length} rows [${ids.join(', ')}]; status "${st.text}"`};
  });
}

async function openDashboard(browser, user, password) {
  const context = await browser.newContext({
    httpCredentials: {username: user, password},
    viewport: {width: 1280, height: 900},
  });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const problems = {pageErrors: [], consoleErrors: [], pageBytes: 0, disconnectPosts: 0, pending: []};
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.consoleErrors.push(m.text()));
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/disconnect$/.test(new URL(r.url()).pathname)) problems.disconnectPosts++;
  });
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/dashboard' || path.startsWith('/assets/')) {
      problems.pending.push(r.body().then((b) => (problems.pageBytes += b.length), () => {}));
    }
  });
  const res = await page.goto(`${opt.url}/dashboard`, {waitUntil: 'load'});
  if (!res || res.status() !== 200) {
    throw new CheckError(`GET /dashboard answered ${res ? res.status() : 'nothing'}`);
  }
  return {context, page, problems};
}

async function run(browser) {
  const {page, problems} = await openDashboard(browser, opt.user, opt.password);
  ctx.page = page;
  ok(`/dashboard loaded as ${opt.user}`);

  if (opt.expect != null) {
    await waitRows(page, opt.expect, `the table to show ${opt.expect} session rows`);
  } else {
    await waitFor('at least one session row', async () => ({done: (await rowIds(page)).length > 0}));
  }
  const ids = await rowIds(page);
  const expect = ids.length;
  ok(`session table shows ${expect} rows`);

  const header = await waitFor('the header to show version and a total rate', async () => {
    const h = await page.evaluate(() => Object.fromEntries(
        ['version', 'uptime', 'sessions-up', 'total-in-rate', 'total-out-rate'].map(
            (t) => [t, document.querySelector(`[data-testid="${t}"]`)?.textContent.trim() ?? ''])));
    const done = h.version && h.version !== '\u2014' && /\d/.test(h['total-in-rate']) && /\d/.test(h['total-out-rate']);
    return {done, detail: JSON.stringify(h), h};
  });
  ok(`header: ${header.h.version}, up ${header.h.uptime}, in ${header.h['total-in-rate']}, out ${header.h['total-out-rate']}`);

  const g = await waitGraph(page, 'total-graph', 'the total traffic graph');
  const before = (await canvasPixels(page, 'total-graph')).samples;
  await waitFor('the total graph to gain samples without a reload', async () => {
    const px = await canvasPixels(page, 'total-graph');
    return {done: px && px.samples >= before + 2, detail: `samples ${px && px.samples}, was ${before}`};
  });
  ok(`total graph drawn (${g.detail}) and updating`);

  // Sorting: the session id column starts ascending; a click reverses it.
  const asc = await rowIds(page);
  await page.click('[data-testid="sort-session_id"]');
  await waitFor('descending sort by session id', async () => {
    const now = await rowIds(page);
    const aria = await page.getAttribute('[data-testid="sort-session_id"]', 'aria-sort');
    return {
      done: aria === 'descending' && now.join('\n') === [...asc].reverse().join('\n'),
      detail: `aria-sort=${aria} rows [${now.join(', ')}], ascending was [${asc.join(', ')}]`,
    };
  });
  await page.click('[data-testid="sort-session_id"]');
  await waitFor('ascending sort again', async () => {
    const aria = await page.getAttribute('[data-testid="sort-session_id"]', 'aria-sort');
    return {done: aria === 'ascending', detail: `aria-sort=${aria}`};
  });
  ok('click-to-sort reverses the session order');

  const target = opt.disconnect ?? ids[0];
  if (!ids.includes(target)) throw new CheckError(`session ${target} is not in the table [${ids.join(', ')}]`);

  // Filter: by the target's id every shown row must contain the text; a
  // string matching nothing empties the table.
  await page.fill('[data-testid="filter"]', target);
  await waitFor(`the filter "${target}" to narrow the rows`, async () => {
    const shown = await page.$$eval('[data-testid="session-row"]', (trs) => trs.map((tr) => ({
      id: tr.dataset.sessionId,
      text: ['session_id', 'user', 'iface', 'ip', 'peer_addr']
          .map((c) => tr.querySelector(`[data-col="${c}"]`)?.textContent ?? '').join(' ').toLowerCase(),
    })));
    const done = shown.some((r) => r.id === target) &&
        shown.every((r) => r.text.includes(target.toLowerCase())) && (expect === 1 || shown.length < expect);
    return {done, detail: `rows [${shown.map((r) => r.id).join(', ')}]`};
  });
  await page.fill('[data-testid="filter"]', 'no-such-session-zz9');
  await waitRows(page, 0, 'a filter matching nothing to empty the table');
  if (!(await page.isVisible('[data-testid="empty"]'))) throw new CheckError('no "no match" message on an empty filter');
  await page.fill('[data-testid="filter"]', '');
  await waitRows(page, expect, 'clearing the filter to bring every row back');
  ok(`filter narrows the rows (by "${target}", and to none)`);

  await page.click(`${rowSel(target)} [data-col="user"]`);
  await waitFor(`the detail of session ${target}`, async () => {
    const sid = await page.getAttribute('[data-testid="session-detail"]', 'data-session-id');
    const vis = await page.isVisible('[data-testid="session-detail"]');
    return {done: vis && sid === target, detail: `visible=${vis} session=${sid}`};
  });
  await waitGraph(page, 'session-graph', `session ${target}'s graph`);
  ok(`selecting session ${target} shows its graph`);

  if (opt.deniedUser) await checkDenied(browser, target, expect);

  // Disconnect asks first: Cancel must send nothing.
  await page.click(`${rowSel(target)} [data-testid="disconnect"]`);
  await page.waitForSelector('[data-testid="confirm-dialog"][open]');
  const question = await page.textContent('[data-testid="confirm-text"]');
  if (!question.includes(target)) throw new CheckError(`confirmation does not name ${target}: "${question}"`);
  await page.click('[data-testid="confirm-cancel"]');
  await page.waitForSelector('[data-testid="confirm-dialog"][open]', {state: 'detached'});
  if (problems.disconnectPosts !== 0) throw new CheckError('Cancel in the confirmation still sent a disconnect');
  ok('Disconnect asks for confirmation; Cancel sends nothing');

  await page.click(`${rowSel(target)} [data-testid="disconnect"]`);
  await page.waitForSelector('[data-testid="confirm-dialog"][open]');
  await page.click('[data-testid="confirm-disconnect"]');
  await waitFor(`session ${target}'s row to disappear after Disconnect`, async () => {
    const now = await rowIds(page);
    const st = await statusOf(page);
    return {
      done: !now.includes(target) && now.length === expect - 1,
      detail: `rows [${now.join(', ')}]; status ${st.kind} "${st.text}"`,
    };
  });
  const st = await statusOf(page);
  if (st.kind === 'error') throw new CheckError(`status shows an error after a good disconnect: "${st.text}"`);
  ok(`session ${target} disconnected and gone from the table (status: "${st.text}")`);

  await Promise.all(problems.pending);
  if (problems.pageBytes > MAX_PAGE_BYTES) {
    throw new CheckError(`page and assets weigh ${problems.pageBytes} bytes, over ${MAX_PAGE_BYTES}`);
  }
  ok(`page and assets: ${problems.pageBytes} bytes`);
  if (problems.pageErrors.length) throw new CheckError(`uncaught errors in the page: ${problems.pageErrors.join(' | ')}`);
  if (problems.consoleErrors.length) console.log(`# console errors (not fatal): ${problems.consoleErrors.join(' | ')}`);
}

// A user below operator (mpd5 privileges) may watch but not disconnect: the
// refusal must show in the status line and the session must stay.
async function checkDenied(browser, target, expect) {
  const {context, page} = await openDashboard(browser, opt.deniedUser, opt.deniedPassword);
  try {
    await waitRows(page, expect, `the table (as ${opt.deniedUser}) to show ${expect} rows`);
    await page.click(`${rowSel(target)} [data-testid="disconnect"]`);
    await page.waitForSelector('[data-testid="confirm-dialog"][open]');
    await page.click('[data-testid="confirm-disconnect"]');
    await waitFor(`a visible error for ${opt.deniedUser}'s refused disconnect`, async () => {
      const st = await statusOf(page);
      const vis = await page.isVisible('[data-testid="status"]');
      return {done: vis && st.kind === 'error' && /\b40[13]\b/.test(st.text), detail: `${st.kind} "${st.text}"`};
    });
    const st = await statusOf(page);
    const still = await rowIds(page);
    if (!still.includes(target)) throw new CheckError(`session ${target} vanished after a refused disconnect`);
    ok(`a refused disconnect (${opt.deniedUser}) shows "${st.text}" and keeps the session`);
  } finally {
    await context.close();
  }
}

const ctx = {page: null};

async function main() {
  let browser;
  const overall = setTimeout(() => {
    console.error(`FAIL: the check did not finish within ${opt.timeout}s`);
    process.exit(1);
  }, opt.timeout * 1000);
  let failed = null;
  try {
    browser = await chromium.launch({executablePath: opt.chromium, headless: true, args: ['--no-sandbox']});
    await run(browser);
  } catch (e) {
    failed = e;
  }
  if (ctx.page && opt.screenshot) {
    try {
      await ctx.page.screenshot({path: opt.screenshot, fullPage: true});
      console.log(`# screenshot: ${opt.screenshot}`);
    } catch (e) {
      console.error(`# screenshot failed: ${e.message}`);
    }
  }
  if (failed && ctx.page) {
    const st = await statusOf(ctx.page).catch(() => null);
    if (st && st.text) console.error(`# page status line: ${st.kind} "${st.text}"`);
  }
  await browser?.close().catch(() => {});
  clearTimeout(overall);
  if (failed) {
    console.error(`FAIL: ${failed instanceof CheckError ? failed.message : failed.stack || failed}`);
    process.exit(1);
  }
  console.log('PASS: dashboard check');
}

main();
