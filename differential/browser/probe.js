// The test page's script. The server defines CFG just above it:
//   CFG.page     the page id, echoed in the report
//   CFG.targets  [{probe, kind, url, origins}] in order; url carries
//                __probe=ID, origins are those of its URL list
//   CFG.settleMs how long a failed attempt waits for its violation event
//   CFG.waitMs   how long beacon and ping attempts are given
//   CFG.attemptMs the most any attempt may take
//   CFG.pageMs   the most the whole page may take
// The page makes each connection with the real API, records every
// securitypolicyviolation event, ties each event to its attempt, and posts
// its report with the form above it (a form submission is not a connection
// that connect-src or default-src governs).
(function () {
  'use strict';
  const t0 = performance.now();
  const events = [];
  let inFlight = -1; // index of the attempt running alone, or -1
  let waiters = [];

  document.addEventListener('securitypolicyviolation', (e) => {
    events.push({
      blockedURI: String(e.blockedURI), effectiveDirective: String(e.effectiveDirective),
      violatedDirective: String(e.violatedDirective), disposition: String(e.disposition),
      inFlight: inFlight,
    });
    const ws = waiters; waiters = [];
    for (const w of ws) w();
  });

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const anyEvent = (ms) => new Promise((r) => { waiters.push(r); setTimeout(r, ms); });
  const probeRe = /[?&]__probe=([A-Za-z0-9_.-]+)/;

  // owner returns the index of the attempt an event belongs to, and how it
  // was told, or [-1, ''] for an event no attempt can claim.
  function owner(ev) {
    const m = probeRe.exec(ev.blockedURI);
    if (m) {
      const i = CFG.targets.findIndex((t) => t.probe === m[1]);
      if (i >= 0) return [i, 'probe'];
    }
    // An event without the id belongs to the attempt running alone only if
    // it names one of that attempt's origins, or just its scheme.
    const t = CFG.targets[ev.inFlight];
    if (t && t.origins.some((o) => ev.blockedURI === o || ev.blockedURI.startsWith(o + '/') || ev.blockedURI === o.split(':')[0])) {
      return [ev.inFlight, 'in-flight'];
    }
    return [-1, ''];
  }
  const claimed = (i) => events.some((ev) => owner(ev)[0] === i);

  function first(target, names) {
    return new Promise((resolve) => {
      for (const n of names) target.addEventListener(n, () => resolve(n), { once: true });
    });
  }
  function describe(e) { return String(e && e.name) + ': ' + String(e && e.message); }

  const attempts = {
    async fetch(url) {
      try { await fetch(url, { cache: 'no-store' }); return ['load', '']; } catch (e) { return ['error', describe(e)]; }
    },
    async xhr(url) {
      const x = new XMLHttpRequest();
      try { x.open('GET', url); } catch (e) { return ['throw', 'open: ' + describe(e)]; }
      const done = first(x, ['load', 'error', 'abort', 'timeout']);
      try { x.send(); } catch (e) { return ['throw', 'send: ' + describe(e)]; }
      const r = await done;
      return [r === 'load' ? 'load' : 'error', r + ' status=' + x.status];
    },
    async websocket(url) {
      let s;
      try { s = new WebSocket(url); } catch (e) { return ['throw', describe(e)]; }
      const r = await first(s, ['open', 'error', 'close']);
      try { s.close(); } catch (e) { /* already closed */ }
      return [r === 'open' ? 'load' : 'error', r];
    },
    async eventsource(url) {
      let s;
      try { s = new EventSource(url); } catch (e) { return ['throw', describe(e)]; }
      const r = await first(s, ['open', 'message', 'error']);
      s.close();
      return [r === 'error' ? 'error' : 'load', r];
    },
    async image(url) {
      const img = new Image();
      const done = first(img, ['load', 'error']);
      img.src = url;
      const r = await done;
      return [r, ''];
    },
    async beacon(url) {
      try { return ['sent', 'returned ' + navigator.sendBeacon(url)]; } catch (e) { return ['throw', describe(e)]; }
    },
    async ping(url) {
      const a = document.createElement('a');
      a.href = '#ping-' + Math.random().toString(36).slice(2);
      a.setAttribute('ping', url);
      a.textContent = 'ping';
      document.body.appendChild(a);
      a.click();
      a.remove();
      return ['sent', ''];
    },
  };
  const silent = { beacon: true, ping: true }; // no completion signal

  async function run(i) {
    const t = CFG.targets[i];
    const start = performance.now();
    const f = attempts[t.kind];
    let r;
    if (!f) {
      r = ['throw', 'unknown kind ' + t.kind];
    } else {
      try {
        r = await Promise.race([f(t.url), sleep(CFG.attemptMs).then(() => ['timeout', ''])]);
      } catch (e) {
        r = ['throw', describe(e)];
      }
    }
    return { probe: t.probe, outcome: r[0], detail: r[1], ms: performance.now() - start, violations: [] };
  }

  // settle waits, up to ms, until attempt i has a violation event.
  async function settle(i, ms) {
    const until = performance.now() + ms;
    while (!claimed(i)) {
      const left = until - performance.now();
      if (left <= 0) break;
      await anyEvent(left);
    }
  }

  const out = new Array(CFG.targets.length);

  async function main() {
    const later = [];
    // Attempts that signal completion run one at a time.
    for (let i = 0; i < CFG.targets.length; i++) {
      if (silent[CFG.targets[i].kind]) { later.push(i); continue; }
      inFlight = i;
      out[i] = await run(i);
      if (out[i].outcome !== 'load') await settle(i, CFG.settleMs);
      inFlight = -1;
    }
    // Silent attempts go together and share one wait; their events are
    // told apart by the probe id in the blocked URI (every engine reports
    // the URL the API was given, redirected or not).
    if (later.length) {
      const rs = await Promise.all(later.map(run));
      later.forEach((i, k) => { out[i] = rs[k]; });
      const until = performance.now() + CFG.waitMs;
      while (performance.now() < until && !later.every(claimed)) await anyEvent(until - performance.now());
      await sleep(Math.max(0, until - performance.now()));
    }
    await sleep(CFG.settleMs); // a late event for the last attempt
    return {};
  }

  // collect ties every event to its attempt; attempts that did not finish
  // are left out, and count as unreported.
  function collect(body) {
    const done = out.filter((a) => a);
    body.attempts = done;
    body.stray = [];
    for (const ev of events) {
      const [i, by] = owner(ev);
      const v = { blockedURI: ev.blockedURI, effectiveDirective: ev.effectiveDirective,
        violatedDirective: ev.violatedDirective, disposition: ev.disposition, by: by };
      if (i >= 0 && out[i]) out[i].violations.push(v); else body.stray.push(v);
    }
    return body;
  }

  let sent = false;
  function report(body) {
    if (sent) return;
    sent = true;
    collect(body);
    body.page = CFG.page;
    body.origin = location.origin;
    body.ua = navigator.userAgent;
    body.ms = performance.now() - t0;
    document.getElementById('r').value = JSON.stringify(body);
    document.getElementById('result').submit();
  }
  // However long attempts take, the page reports in time, with the
  // attempts it finished.
  setTimeout(() => report({ timedOut: true }), CFG.pageMs);
  main().then(report, (e) => report({ error: 'script: ' + describe(e) }));
})();
