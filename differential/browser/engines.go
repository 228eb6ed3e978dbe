//go:build linux

package browser

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// An engine is a browser engine the harness can drive: where its programs
// are, how to start it pointed at the server, and how to name its version.
// Each is started once per run, headless, with a fresh profile, and sent
// from page to page by the server; no driver protocol is needed.
type engine struct {
	Name    string // chromium, firefox, webkit
	Package string // the Debian packages that provide it
	locate  func() (map[string]string, error)
	launch  func(l launch) ([]*process, error)
	version func(paths map[string]string) string
}

// launch is what an engine needs to start.
type launch struct {
	paths    map[string]string // from locate
	dir      string            // an empty directory for profile, home and logs
	proxy    string            // host:port of the server
	startURL string
	caPEM    []byte
}

// errMissing is wrapped by locate's errors.
var errMissing = errors.New("not installed")

// engines lists every engine, in report order.
var engines = []engine{chromium, firefox, webkit}

// engineNamed returns the engine of that name.
func engineNamed(name string) (engine, bool) {
	for _, e := range engines {
		if e.Name == name {
			return e, true
		}
	}
	return engine{}, false
}

// findProgram returns the first of the candidates that is an executable
// file, looking names without a slash up in PATH.
func findProgram(candidates ...string) (string, bool) {
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if !strings.Contains(c, "/") {
			if p, err := exec.LookPath(c); err == nil {
				return p, true
			}
			continue
		}
		matches, _ := filepath.Glob(c)
		for _, m := range matches {
			if st, err := os.Stat(m); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
				return m, true
			}
		}
	}
	return "", false
}

// commandOutput runs a short command and returns its first line.
func commandOutput(name string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "HOME="+os.TempDir())
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(line)
}

// isolatedEnv is the environment every engine runs in: the harness's own,
// with home, cache, data and runtime directories inside dir so that nothing
// is read from or left in the user's.
func isolatedEnv(dir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "DISPLAY",
			"WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "http_proxy", "https_proxy", "HTTP_PROXY",
			"HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY":
			continue
		}
		env = append(env, kv)
	}
	for _, sub := range []string{"home", "cache", "config", "data", "runtime"} {
		os.MkdirAll(filepath.Join(dir, sub), 0o700)
	}
	env = append(env,
		"HOME="+filepath.Join(dir, "home"),
		"XDG_CACHE_HOME="+filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME="+filepath.Join(dir, "config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "data"),
		"XDG_RUNTIME_DIR="+filepath.Join(dir, "runtime"),
		"NO_AT_BRIDGE=1",
	)
	return append(env, extra...)
}

// chromium is Chromium's Blink, run from the binary itself: the
// /usr/bin/chromium wrapper adds flags of its own, among them one that turns
// <a ping> off.
var chromium = engine{
	Name:    "chromium",
	Package: "chromium",
	locate: func() (map[string]string, error) {
		bin, ok := findProgram(os.Getenv("CSPMODEL_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/lib/chromium-browser/chromium-browser")
		if !ok {
			return nil, fmt.Errorf("chromium: %w (/usr/lib/chromium/chromium; apt-get install chromium, or set CSPMODEL_CHROMIUM)", errMissing)
		}
		return map[string]string{"chromium": bin}, nil
	},
	launch: func(l launch) ([]*process, error) {
		args := []string{
			"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
			"--user-data-dir=" + filepath.Join(l.dir, "profile"),
			"--no-first-run", "--no-default-browser-check", "--disable-default-apps",
			"--disable-extensions", "--disable-sync", "--disable-component-update",
			"--disable-background-networking", "--disable-breakpad", "--disable-quic",
			"--disable-background-timer-throttling", "--disable-renderer-backgrounding",
			"--disable-backgrounding-occluded-windows",
			// Every request goes to the server, loopback included; any name
			// lookup the proxy does not cover fails here instead of going out.
			"--proxy-server=http://" + l.proxy,
			"--proxy-bypass-list=<-loopback>",
			"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
			"--ignore-certificate-errors",
			// HttpsUpgrades would turn http page origins into https ones, and
			// local-network checks would add a second gate in front of
			// 127.0.0.1 targets.
			"--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable,LocalNetworkAccessChecks,OptimizationHints,MediaRouter,Translate,NetworkTimeServiceQuerying",
			l.startURL,
		}
		cmd := exec.Command(l.paths["chromium"], args...)
		cmd.Env = isolatedEnv(l.dir)
		p, err := startProcess("chromium", cmd, filepath.Join(l.dir, "chromium.log"))
		if err != nil {
			return nil, err
		}
		return []*process{p}, nil
	},
	version: func(paths map[string]string) string {
		return commandOutput(paths["chromium"], "--version")
	},
}

// firefox is Firefox ESR's Gecko, headless, with a fresh profile whose
// preferences route everything through the server, turn <a ping> on and
// keep the browser's own background traffic off; the test CA goes into the
// profile's certificate database.
var firefox = engine{
	Name:    "firefox",
	Package: "firefox-esr libnss3-tools",
	locate: func() (map[string]string, error) {
		bin, ok := findProgram(os.Getenv("CSPMODEL_FIREFOX"), "firefox-esr", "firefox")
		if !ok {
			return nil, fmt.Errorf("firefox: %w (firefox-esr; apt-get install firefox-esr, or set CSPMODEL_FIREFOX)", errMissing)
		}
		certutil, ok := findProgram("certutil")
		if !ok {
			return nil, fmt.Errorf("firefox: certutil %w, which Firefox needs to trust the test CA (apt-get install libnss3-tools)", errMissing)
		}
		return map[string]string{"firefox": bin, "certutil": certutil}, nil
	},
	launch: func(l launch) ([]*process, error) {
		profile := filepath.Join(l.dir, "profile")
		if err := os.MkdirAll(profile, 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxUserJS(l.proxy)), 0o600); err != nil {
			return nil, err
		}
		ca := filepath.Join(l.dir, "ca.pem")
		if err := os.WriteFile(ca, l.caPEM, 0o600); err != nil {
			return nil, err
		}
		db := "sql:" + profile
		for _, args := range [][]string{
			{"-N", "-d", db, "--empty-password"},
			{"-A", "-n", "cspmodel-test-ca", "-t", "C,,", "-i", ca, "-d", db},
		} {
			if out, err := exec.Command(l.paths["certutil"], args...).CombinedOutput(); err != nil {
				return nil, fmt.Errorf("certutil %s: %w: %s", strings.Join(args, " "), err, out)
			}
		}
		cmd := exec.Command(l.paths["firefox"], "--headless", "--no-remote", "--profile", profile, l.startURL)
		cmd.Env = isolatedEnv(l.dir, "MOZ_HEADLESS=1", "MOZ_CRASHREPORTER_DISABLE=1")
		p, err := startProcess("firefox", cmd, filepath.Join(l.dir, "firefox.log"))
		if err != nil {
			return nil, err
		}
		return []*process{p}, nil
	},
	version: func(paths map[string]string) string {
		return commandOutput(paths["firefox"], "--version")
	},
}

// firefoxPrefs are the profile's preferences, by purpose.
var firefoxPrefs = []struct {
	name  string
	value any
}{
	// Every request, loopback included, goes to the server; nothing is
	// resolved, and a lookup that slips through gets 127.0.0.1.
	{"network.proxy.type", 1},
	{"network.proxy.http", "127.0.0.1"},
	{"network.proxy.ssl", "127.0.0.1"},
	{"network.proxy.no_proxies_on", ""},
	{"network.proxy.allow_hijacking_localhost", true},
	{"network.proxy.socks_remote_dns", false},
	{"network.dns.forceResolve", "127.0.0.1"},
	{"network.trr.mode", 5},
	{"network.http.http3.enable", false},
	{"network.dns.disablePrefetch", true},
	{"network.prefetch-next", false},
	{"network.http.speculative-parallel-limit", 0},
	// The behaviour under test: pings on, to any host; page origins stay
	// as loaded (no https-first or https-only upgrades).
	{"browser.send_pings", true},
	{"browser.send_pings.require_same_host", false},
	{"dom.security.https_first", false},
	{"dom.security.https_first_pbm", false},
	{"dom.security.https_first_schemeless", false},
	{"dom.security.https_only_mode", false},
	{"network.stricttransportsecurity.preloadlist", false},
	// Quiet: no updates, telemetry, studies, safe browsing, remote
	// settings, captive-portal checks, push, or start pages.
	{"app.update.enabled", false},
	{"app.update.auto", false},
	{"app.normandy.enabled", false},
	{"app.normandy.api_url", ""},
	{"app.shield.optoutstudies.enabled", false},
	{"browser.shell.checkDefaultBrowser", false},
	{"browser.startup.page", 0},
	{"browser.startup.homepage_override.mstone", "ignore"},
	{"startup.homepage_welcome_url", ""},
	{"startup.homepage_welcome_url.additional", ""},
	{"browser.aboutwelcome.enabled", false},
	{"browser.newtabpage.enabled", false},
	{"browser.newtabpage.activity-stream.feeds.system.topstories", false},
	{"browser.newtabpage.activity-stream.feeds.topsites", false},
	{"browser.newtabpage.activity-stream.showSponsored", false},
	{"browser.newtabpage.activity-stream.showSponsoredTopSites", false},
	{"browser.region.network.url", ""},
	{"browser.region.update.enabled", false},
	{"browser.safebrowsing.malware.enabled", false},
	{"browser.safebrowsing.phishing.enabled", false},
	{"browser.safebrowsing.downloads.enabled", false},
	{"browser.safebrowsing.downloads.remote.enabled", false},
	{"browser.safebrowsing.blockedURIs.enabled", false},
	{"browser.safebrowsing.provider.google4.updateURL", ""},
	{"browser.safebrowsing.provider.google.updateURL", ""},
	{"browser.safebrowsing.provider.mozilla.updateURL", ""},
	{"browser.sessionstore.resume_from_crash", false},
	{"browser.tabs.warnOnClose", false},
	{"browser.topsites.contile.enabled", false},
	{"browser.urlbar.suggest.quicksuggest.sponsored", false},
	{"browser.urlbar.quicksuggest.enabled", false},
	{"datareporting.policy.dataSubmissionEnabled", false},
	{"datareporting.healthreport.uploadEnabled", false},
	{"datareporting.usage.uploadEnabled", false},
	{"dom.push.connection.enabled", false},
	{"dom.push.serverURL", ""},
	{"extensions.blocklist.enabled", false},
	{"extensions.getAddons.cache.enabled", false},
	{"extensions.update.enabled", false},
	{"extensions.systemAddon.update.enabled", false},
	{"geo.provider.network.url", ""},
	{"identity.fxaccounts.enabled", false},
	{"media.gmp-manager.url", ""},
	{"media.gmp-gmpopenh264.enabled", false},
	{"network.captive-portal-service.enabled", false},
	{"network.connectivity-service.enabled", false},
	{"security.OCSP.enabled", 0},
	{"security.remote_settings.crlite_filters.enabled", false},
	{"security.remote_settings.intermediates.enabled", false},
	{"toolkit.telemetry.enabled", false},
	{"toolkit.telemetry.unified", false},
	{"toolkit.telemetry.archive.enabled", false},
	{"toolkit.telemetry.server", ""},
	{"toolkit.startup.max_resumed_crashes", -1},
	{"browser.crashReports.unsubmittedCheck.autoSubmit2", false},
}

// firefoxUserJS renders the preferences, with the server's port.
func firefoxUserJS(proxy string) string {
	_, port, _ := strings.Cut(proxy, ":")
	n, _ := strconv.Atoi(port)
	var b strings.Builder
	b.WriteString("// Written by cspmodel's browser differential for one run.\n")
	write := func(name string, value any) {
		switch v := value.(type) {
		case string:
			fmt.Fprintf(&b, "user_pref(%q, %q);\n", name, v)
		default:
			fmt.Fprintf(&b, "user_pref(%q, %v);\n", name, v)
		}
	}
	for _, p := range firefoxPrefs {
		write(p.name, p.value)
	}
	write("network.proxy.http_port", n)
	write("network.proxy.ssl_port", n)
	return b.String()
}

// webkit is WebKitGTK's MiniBrowser. It has no headless mode, so it draws
// on an Xvfb display of its own, started first on a free display number.
var webkit = engine{
	Name:    "webkit",
	Package: "webkit2gtk-driver xvfb",
	locate: func() (map[string]string, error) {
		mini, ok := findProgram(os.Getenv("CSPMODEL_MINIBROWSER"), "/usr/lib/*/webkit2gtk-4.1/MiniBrowser", "/usr/lib/*/webkit2gtk-4.0/MiniBrowser")
		if !ok {
			return nil, fmt.Errorf("webkit: MiniBrowser %w (/usr/lib/<arch>/webkit2gtk-4.1/MiniBrowser; apt-get install webkit2gtk-driver, or set CSPMODEL_MINIBROWSER)", errMissing)
		}
		xvfb, ok := findProgram("Xvfb")
		if !ok {
			return nil, fmt.Errorf("webkit: Xvfb %w, which WebKitGTK needs for a display (apt-get install xvfb)", errMissing)
		}
		return map[string]string{"minibrowser": mini, "xvfb": xvfb}, nil
	},
	launch: func(l launch) ([]*process, error) {
		display, x, err := startXvfb(l)
		if err != nil {
			return nil, err
		}
		cmd := exec.Command(l.paths["minibrowser"], "--ignore-tls-errors", "--private",
			"--enable-hyperlink-auditing=true", "--proxy=http://"+l.proxy, l.startURL)
		cmd.Env = isolatedEnv(l.dir, "DISPLAY="+display)
		p, err := startProcess("MiniBrowser", cmd, filepath.Join(l.dir, "minibrowser.log"))
		if err != nil {
			x.stop()
			return nil, err
		}
		return []*process{p, x}, nil
	},
	version: func(paths map[string]string) string {
		if v := commandOutput("dpkg-query", "-W", "-f=${Version}", "libwebkit2gtk-4.1-0"); v != "" {
			return "WebKitGTK " + v
		}
		return ""
	},
}

// startXvfb starts an X server on the first free display; Xvfb picks the
// number and writes it to the pipe given with -displayfd once it is ready.
func startXvfb(l launch) (string, *process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", nil, err
	}
	defer r.Close()
	cmd := exec.Command(l.paths["xvfb"], "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	cmd.Env = isolatedEnv(l.dir)
	x, err := startProcess("Xvfb", cmd, filepath.Join(l.dir, "xvfb.log"))
	w.Close()
	if err != nil {
		return "", nil, err
	}
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case s := <-line:
		if _, err := strconv.Atoi(s); err != nil {
			x.stop()
			return "", nil, fmt.Errorf("xvfb gave no display number: %s", x.tail())
		}
		return ":" + s, x, nil
	case <-time.After(20 * time.Second):
		x.stop()
		return "", nil, fmt.Errorf("xvfb did not start within 20s: %s", x.tail())
	}
}
