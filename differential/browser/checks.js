// The top page of a page of checks (the cases that are not requests). The
// server defines CFG just above it:
//   CFG.page       the page id, echoed in the report
//   CFG.units      [{probe, mode, url, sandbox, nav, inspect, depth,
//                   timeoutMs}]: mode "doc" loads url (a test document) in
//                   an iframe, with the sandbox attribute when sandbox is a
//                   string; "worker" starts a dedicated worker at url;
//                   "chain" loads url (the first frame of a chain of
//                   ancestors) in an iframe and looks depth frames down for
//                   the framed document
//   CFG.concurrency how many units run at once
//   CFG.settleMs   how long to wait for late messages
//   CFG.pageMs     the most the whole page may take
//   CFG.resultURL  where the report goes
// A test document (doc.js) and a worker post their messages to this page:
// {__csp: 1, probe, kind, data}, kind one of "event" (a
// securitypolicyviolation event), "armed" (a navigation is about to start),
// "result" (the document's findings), "submit" (a form's submit event) and
// "child" (a nested document or worker reports). This page adds what only
// it can see (whether the document is same-origin with it, how many frames
// it holds, how often its iframe loaded) and reports everything with a
// top-level navigation, which no policy of its own can refuse.
(function () {
  'use strict';
  const t0 = performance.now();
  const states = {};

  function wake(st) {
    const ws = st.waiters;
    st.waiters = [];
    for (const w of ws) w();
  }

  function take(m) {
    if (!m || typeof m !== 'object' || m.__csp !== 1) return;
    const st = states[m.probe];
    if (!st) return;
    st.messages.push(m.kind);
    switch (m.kind) {
      case 'event': st.events.push(m.data); break;
      case 'result': st.result = m.data; st.resultAt = performance.now(); break;
      case 'armed': st.armed = true; break;
      case 'submit': st.submit = m.data; break;
      case 'child': st.child = m.data; break;
    }
    wake(st);
  }
  window.addEventListener('message', (e) => take(e.data));

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // until waits until cond() holds, or ms have passed; it reports which.
  async function until(st, cond, ms) {
    const end = performance.now() + ms;
    while (!cond()) {
      const left = end - performance.now();
      if (left <= 0) return false;
      await new Promise((r) => { st.waiters.push(r); setTimeout(r, Math.min(left, 40)); });
    }
    return true;
  }

  function describe(e) { return String(e && e.name) + ': ' + String(e && e.message); }

  // arrived asks the server, for at most ms, whether hop w.hop of the
  // target tagged w.probe has reached it; null when it cannot ask.
  async function arrived(w, ms) {
    try {
      const r = await fetch('/__csp/arrived?p=' + encodeURIComponent(w.probe) + '&hop=' + w.hop + '&ms=' + Math.max(0, Math.round(ms)), { cache: 'no-store' });
      return (await r.json()).arrived === true;
    } catch (e) {
      return null;
    }
  }

  // navigated waits, within ms, for the navigation a unit started to
  // reach the server, or for the document to say it stayed and a grace
  // period to pass (a slow engine may start a form submission late).
  async function navigated(u, st, ms) {
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const left = end - performance.now();
      const a = await arrived(u.wait, st.result ? Math.min(left, NAV_GRACE) : Math.min(left, 250));
      if (a) { st.arrived = true; return; }
      if (a === null) await until(st, () => st.loads >= 2, Math.min(left, 250));
      if (st.result && st.resultAt && performance.now() - st.resultAt >= NAV_GRACE) return;
      if (u.nav && st.loads >= 2 && !u.wait) return;
    }
  }
  const NAV_GRACE = 1200;
  // How long a framed document that arrived is given to render.
  const RENDER_WAIT = 1500;

  // look returns what this page sees of a frame: whether its document is
  // same-origin with this page, and how many frames it holds.
  function look(f) {
    const out = { sameOrigin: false, frames: -1 };
    try { out.sameOrigin = f.contentDocument !== null; } catch (e) { out.sameOrigin = false; }
    try { out.frames = f.contentWindow ? f.contentWindow.length : -1; } catch (e) { out.frames = -2; }
    return out;
  }

  async function runDoc(u, st) {
    const f = document.createElement('iframe');
    if (typeof u.sandbox === 'string') f.setAttribute('sandbox', u.sandbox);
    f.addEventListener('load', () => { st.loads++; wake(st); });
    f.src = u.url;
    document.body.appendChild(f);
    if (u.inspect) {
      // A sandboxed document may run no script: its first load, and a
      // moment for its result, are enough.
      await until(st, () => st.result || st.loads >= 1, u.timeoutMs);
      await until(st, () => st.result, 3 * CFG.settleMs);
      st.inspect = look(f);
      if (st.result && u.nav) {
        try { f.contentWindow.postMessage({ __csp: 1, kind: 'ack' }, '*'); } catch (e) { st.problem = 'ack: ' + describe(e); }
        await until(st, () => st.submit, u.timeoutMs);
        if (st.submit) {
          st.resultAt = performance.now();
          await navigated(u, st, u.timeoutMs);
          await until(st, () => st.loads >= 2, st.arrived ? u.timeoutMs : CFG.settleMs);
        }
      }
    } else if (u.wait) {
      // A navigation: it reaches the server, or the document stays.
      await until(st, () => st.armed || st.result, u.timeoutMs);
      await navigated(u, st, u.timeoutMs);
      await until(st, () => st.result || st.loads >= 2, CFG.settleMs);
    } else {
      st.timedOut = !(await until(st, () => st.result || (u.nav && st.armed && st.loads >= 2), u.timeoutMs));
    }
    await sleep(CFG.settleMs);
    f.remove();
  }

  async function runWorker(u, st) {
    let w;
    try { w = new Worker(u.url); } catch (e) { st.problem = 'new Worker: ' + describe(e); return; }
    w.addEventListener('message', (e) => take(e.data));
    w.addEventListener('error', (e) => { st.workerError = String(e.message || 'error'); wake(st); });
    st.timedOut = !(await until(st, () => st.result || st.workerError, u.timeoutMs));
    await sleep(CFG.settleMs);
    w.terminate();
  }

  async function runChain(u, st) {
    const f = document.createElement('iframe');
    f.addEventListener('load', () => { st.loads++; wake(st); });
    if (u.form) {
      // This page is the parent, and submits a form into the frame.
      f.name = 'csp' + u.probe;
      document.body.appendChild(f);
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = u.url;
      form.target = f.name;
      document.body.appendChild(form);
      form.submit();
      form.remove();
    } else {
      f.src = u.url;
      document.body.appendChild(f);
    }
    if (u.navigate) {
      // This page navigates the parent's frame by name, once the chain
      // down to it has loaded.
      await until(st, () => st.loads >= 1, u.timeoutMs);
      const n = u.navigate;
      if (n.form) {
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = n.url;
        form.target = n.target;
        document.body.appendChild(form);
        form.submit();
        form.remove();
      } else {
        const a = document.createElement('a');
        a.href = n.url;
        a.target = n.target;
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    }
    // The framed response reaches the server, then the framed document
    // renders or is refused.
    const start = performance.now();
    st.arrived = await arrived(u.wait, u.timeoutMs);
    st.timedOut = !(await until(st, () => st.loads >= 1, Math.max(0, u.timeoutMs - (performance.now() - start))));
    const framed = () => {
      let w = f.contentWindow;
      for (let i = 0; i < u.depth && w; i++) w = w.frames[0];
      return w;
    };
    const frames = () => { try { const w = framed(); return w ? w.length : -1; } catch (e) { return -2; } };
    await until(st, () => frames() > 0, st.arrived ? RENDER_WAIT : CFG.settleMs);
    st.inspect = { sameOrigin: false, frames: frames() };
    f.remove();
  }

  async function run(u) {
    const st = states[u.probe];
    const start = performance.now();
    try {
      if (u.mode === 'doc') await runDoc(u, st);
      else if (u.mode === 'worker') await runWorker(u, st);
      else if (u.mode === 'chain') await runChain(u, st);
      else st.problem = 'unknown mode ' + u.mode;
    } catch (e) {
      st.problem = 'harness: ' + describe(e);
    }
    st.ms = performance.now() - start;
    st.finished = true;
  }

  async function main() {
    for (const u of CFG.units) {
      states[u.probe] = { probe: u.probe, waiters: [], messages: [], events: [], loads: 0 };
    }
    let next = 0;
    const lane = async () => {
      while (next < CFG.units.length) await run(CFG.units[next++]);
    };
    const lanes = [];
    for (let i = 0; i < Math.max(1, CFG.concurrency); i++) lanes.push(lane());
    await Promise.all(lanes);
  }

  let sent = false;
  function report(extra) {
    if (sent) return;
    sent = true;
    const units = [];
    for (const u of CFG.units) {
      const st = states[u.probe];
      if (!st || !st.finished) continue;
      const out = {};
      for (const k of ['probe', 'messages', 'events', 'result', 'armed', 'submit', 'child', 'loads', 'inspect', 'workerError', 'problem', 'timedOut', 'arrived', 'ms']) {
        if (st[k] !== undefined) out[k] = st[k];
      }
      units.push(out);
    }
    const body = Object.assign({ page: CFG.page, origin: String(self.origin), ua: navigator.userAgent, ms: performance.now() - t0, units: units }, extra);
    location.href = CFG.resultURL + '?r=' + encodeURIComponent(JSON.stringify(body));
  }
  setTimeout(() => report({ timedOut: true }), CFG.pageMs);
  const start = () => main().then(() => report({}), (e) => report({ error: 'script: ' + describe(e) }));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
