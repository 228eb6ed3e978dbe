// The harness inside a test document, a document it creates (srcdoc:,
// blob:, data:), or a worker. The server defines CFG just above it:
//   CFG.probe     the unit's id, on every message
//   CFG.check     inline, eval, wasm, base, navigation, sandbox, request
//   CFG.settleMs  how long to wait for late violation events
//   CFG.recorders names of global functions the case's code may call, each
//                 replaced by one that records the call
// and the check's own fields (below). It records every
// securitypolicyviolation event (and posts each at once, in case the
// document is navigated away), every uncaught error, every call of a
// recorder and every write of an element's className, runs the check, and
// posts its findings to the top page (or, in a worker, to its creator).
// It runs before any <meta> policy of the document is read, so that only
// the header policies govern it; it uses no Trusted Types sink.
(function () {
  'use strict';
  const inWorker = typeof document === 'undefined';
  const S = { events: [], calls: [], errors: [] };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  function describe(e) { return String(e && e.name) + ': ' + String(e && e.message); }

  function post(kind, data) {
    const m = { __csp: 1, probe: CFG.probe, kind: kind, data: data };
    try {
      if (inWorker) self.postMessage(m);
      else top.postMessage(m, '*');
    } catch (e) { /* nowhere to report */ }
  }

  const target = inWorker ? self : document;
  target.addEventListener('securitypolicyviolation', (e) => {
    const ev = {
      blockedURI: String(e.blockedURI), effectiveDirective: String(e.effectiveDirective),
      violatedDirective: String(e.violatedDirective), disposition: String(e.disposition),
      sample: String(e.sample || ''),
      target: e.target && e.target.nodeName ? String(e.target.nodeName).toLowerCase() : '',
    };
    S.events.push(ev);
    post('event', ev);
  }, true);
  self.addEventListener('error', (e) => {
    if (typeof ErrorEvent !== 'undefined' && e instanceof ErrorEvent) S.errors.push(String(e.message));
  }, true);
  for (const name of CFG.recorders || []) {
    self[name] = function () { S.calls.push(name); };
  }
  if (!inWorker) {
    const d = Object.getOwnPropertyDescriptor(Element.prototype, 'className');
    Object.defineProperty(Element.prototype, 'className', {
      configurable: true, enumerable: d.enumerable,
      get() { return d.get.call(this); },
      set(v) { S.calls.push('className'); d.set.call(this, v); },
    });
  }
  const effects = () => S.calls.length + S.errors.length;

  // The element under test: the first element of the wrapper.
  const tested = () => { const w = document.getElementById('__csp_w'); return w && w.firstElementChild; };

  function makeElement() {
    const el = document.createElement(CFG.localName);
    for (const [n, v] of CFG.attrs) el.setAttribute(n, v);
    return el;
  }

  const checks = {
    async inline() {
      const r = {};
      switch (CFG.type) {
        case 'script':
          if (CFG.scripted) {
            const s = makeElement();
            s.text = CFG.text;
            document.getElementById('__csp_w').appendChild(s);
          }
          r.ran = effects() > 0;
          break;
        case 'style': {
          let el = tested();
          if (CFG.scripted) {
            el = makeElement();
            el.textContent = CFG.text;
            document.getElementById('__csp_w').appendChild(el);
          }
          r.ran = !!(el && el.sheet);
          break;
        }
        case 'style attribute': {
          const el = tested();
          r.declarations = el ? el.style.length : -1;
          r.ran = r.declarations > 0;
          break;
        }
        case 'script attribute': {
          const el = tested();
          const before = S.errors.length;
          let h = null;
          try { h = el[CFG.handler]; } catch (e) { r.detail = describe(e); }
          r.handler = typeof h;
          r.compileError = S.errors.length > before;
          r.ran = typeof h === 'function' || r.compileError;
          if (typeof h === 'function') {
            try { h.call(el, new Event(CFG.handler.slice(2))); } catch (e) { r.threw = describe(e); }
          }
          break;
        }
      }
      return r;
    },

    async eval() {
      const r = {};
      let policy = null;
      if (CFG.trusted) {
        if (typeof trustedTypes === 'undefined') return { outcome: 'unsupported', detail: 'no trustedTypes' };
        policy = trustedTypes.createPolicy('cspmodel' + Math.random().toString(36).slice(2), { createScript: (s) => s });
      }
      const value = (s, trusted) => (trusted ? policy.createScript(s) : s);
      try {
        switch (CFG.type) {
          case 'EVAL':
            (0, eval)(value(CFG.body, CFG.bodyTrusted));
            break;
          case 'FUNCTION': {
            const args = CFG.params.map((p, i) => value(p, CFG.paramTrusted[i]));
            args.push(value(CFG.body, CFG.bodyTrusted));
            new Function(...args);
            break;
          }
          case 'TIMER':
            setTimeout(CFG.code, 0);
            await sleep(150);
            r.ran = effects() > 0;
            break;
        }
        r.outcome = 'ok';
      } catch (e) {
        r.outcome = e instanceof EvalError ? 'evalerror' : 'threw';
        r.detail = describe(e);
      }
      return r;
    },

    async wasm() {
      if (typeof WebAssembly === 'undefined') return { outcome: 'unsupported', detail: 'no WebAssembly' };
      try {
        await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
        return { outcome: 'ok' };
      } catch (e) {
        return { outcome: e instanceof WebAssembly.CompileError ? 'compileerror' : 'threw', detail: describe(e) };
      }
    },

    async base() {
      const got = document.baseURI;
      let want = '';
      try { want = new URL(CFG.href, document.URL).href; } catch (e) { return { outcome: 'bad href', detail: describe(e) }; }
      return { outcome: got === want ? 'base' : got === document.URL ? 'fallback' : 'other', detail: got };
    },

    async navigation() {
      post('armed', {});
      const el = document.getElementById('__csp_nav');
      try {
        if (el.tagName === 'FORM') el.submit(); else el.click();
      } catch (e) {
        return { outcome: 'threw', detail: describe(e) };
      }
      // Still here: the navigation was refused, or it runs a javascript:
      // URL, or it has not begun yet.
      await sleep(CFG.waitMs);
      return { outcome: 'stayed', ran: effects() > 0 };
    },

    async sandbox() {
      // The document's load waits for its image, whose request shows its
      // origin to the server.
      if (document.readyState !== 'complete') await new Promise((r) => self.addEventListener('load', r));
      const r = { origin: String(self.origin) };
      if (CFG.form) {
        const f = document.getElementById('__csp_form');
        self.addEventListener('message', (e) => {
          if (!e.data || e.data.__csp !== 1 || e.data.kind !== 'ack') return;
          let fired = false;
          f.addEventListener('submit', () => { fired = true; });
          try { f.requestSubmit(); } catch (err) { post('submit', { fired: fired, detail: describe(err) }); return; }
          post('submit', { fired: fired });
        });
      }
      return r;
    },

    async request() {
      return attempt(CFG.kind, CFG.url);
    },
  };

  // attempt makes one request with the real API, as the request pages do.
  async function attempt(kind, url) {
    if (CFG.blob) {
      // A blob: URL is the engine's to mint; the case's own stands for it.
      url = URL.createObjectURL(new Blob([CFG.blob.body], { type: CFG.blob.type }));
    }
    const first = (t, names) => new Promise((resolve) => { for (const n of names) t.addEventListener(n, () => resolve(n), { once: true }); });
    const race = (p) => Promise.race([p, sleep(CFG.attemptMs).then(() => ({ outcome: 'timeout' }))]);
    try {
      switch (kind) {
        case 'fetch':
          return await race(fetch(url, { cache: 'no-store' }).then((r) => ({ outcome: 'load', detail: 'status ' + r.status }), (e) => ({ outcome: 'error', detail: describe(e) })));
        case 'xhr': {
          const x = new XMLHttpRequest();
          x.open('GET', url);
          const done = first(x, ['load', 'error', 'abort', 'timeout']);
          x.send();
          return await race(done.then((n) => ({ outcome: n === 'load' ? 'load' : 'error', detail: n + ' status=' + x.status })));
        }
        case 'image': {
          const img = new Image();
          const done = first(img, ['load', 'error']);
          img.src = url;
          return await race(done.then((n) => ({ outcome: n })));
        }
        case 'websocket': {
          const s = new WebSocket(url);
          const n = await race(first(s, ['open', 'error', 'close']));
          try { s.close(); } catch (e) { /* closed */ }
          return { outcome: n === 'open' ? 'load' : 'error', detail: String(n && n.outcome || n) };
        }
        case 'eventsource': {
          const s = new EventSource(url);
          const n = await race(first(s, ['open', 'message', 'error']));
          s.close();
          return { outcome: n === 'error' ? 'error' : 'load', detail: String(n && n.outcome || n) };
        }
        case 'beacon':
          return { outcome: 'sent', detail: 'returned ' + navigator.sendBeacon(url) };
      }
      return { outcome: 'throw', detail: 'unknown kind ' + kind };
    } catch (e) {
      return { outcome: 'throw', detail: describe(e) };
    }
  }

  // A creator of a local-scheme document or worker makes it, and relays
  // nothing: the child posts to the top page itself.
  function makeChild() {
    const c = CFG.child;
    if (c.worker) {
      let url = c.url;
      if (c.scheme === 'blob') url = URL.createObjectURL(new Blob([c.body], { type: 'text/javascript' }));
      const w = new Worker(url);
      w.addEventListener('message', (e) => { if (e.data && e.data.__csp === 1) top.postMessage(e.data, '*'); });
      w.addEventListener('error', (e) => post('child', { error: String(e.message || 'error') }));
      return;
    }
    const f = document.createElement('iframe');
    if (c.scheme === 'srcdoc') f.srcdoc = c.body;
    else if (c.scheme === 'blob') f.src = URL.createObjectURL(new Blob([c.body], { type: 'text/html' }));
    else f.src = c.url;
    document.body.appendChild(f);
  }

  async function main() {
    if (CFG.child) {
      makeChild();
      return;
    }
    const f = checks[CFG.check];
    let r;
    try {
      r = f ? await f() : { outcome: 'throw', detail: 'unknown check ' + CFG.check };
    } catch (e) {
      r = { outcome: 'throw', detail: 'harness: ' + describe(e) };
    }
    await sleep(CFG.settleMs);
    r.calls = S.calls;
    r.errors = S.errors;
    post('result', r);
  }

  if (inWorker || document.readyState !== 'loading') main();
  else document.addEventListener('DOMContentLoaded', main);
})();
