package dialect

import "github.com/cspmodel/cspmodel/corpus"

// The three dialects. FittedOn is the version each engine reports of
// itself on the machine where the rules were fitted and the record of
// differential/browser/testdata/verdicts.txt was made; that test fails
// when the record names another version, so that a refit states the new
// one here.

// Chromium is Chromium's (Blink's) dialect.
var Chromium = &Dialect{
	Name:     "chromium",
	Engine:   "Chromium",
	FittedOn: "Chromium 156.0.8078.114",
	Rules: []*Rule{
		websocketURLAsGiven,
		metaContentSplitOnCommas,
		sourceQueryIgnored,
		ipHostsMatch,
		pathDecodedWhole,
		pathMayStartWithDoubleSlash,
		wsSchemesOnlyForWebSockets,
		selfComparesPortNumbers,
		port80UpgradesTo443,
		upgradeNeedsDefaultPort,
		selfSkipsLocalSchemes,
		hashPaddingOptional,
		sandboxIgnoredInWorkers,
		sandboxFlagsAccumulate,
		trustedTypesEvalTrustsStrings,
		functionTrustedScriptRefused,
		stringTimerNeedsTrustedTypes,
	},
	Checks: fittedChecks,
}

// Firefox is Firefox ESR's (Gecko's) dialect.
var Firefox = &Dialect{
	Name:     "firefox",
	Engine:   "Firefox",
	FittedOn: "Mozilla Firefox 153.8.0esr",
	Rules: []*Rule{
		websocketURLAsGiven,
		sourceQueryIgnored,
		ipHostsMatch,
		pathDecodedWhole,
		wsSchemesOnlyForWebSockets,
		starBeforePathDropped,
		portLeadingZeroNeverMatches,
		trailingDotHostDropped,
		selfComparesPortNumbers,
		missingPortIsSchemeDefault,
		port80Matches443,
		selfSkipsLocalSchemes,
		formActionRedirectsUnchecked,
		frameAncestorsPathIgnored,
		starMatchesOpaqueAncestor,
		sandboxIgnoredInWorkers,
		sandboxFlagsAccumulate,
		stringTimerNeedsTrustedTypes,
	},
	Checks: fittedChecks,
}

// WebKit is WebKitGTK's (WebKit's) dialect.
var WebKit = &Dialect{
	Name:     "webkit",
	Engine:   "WebKit",
	FittedOn: "WebKitGTK 2.50.6-1~deb12u2",
	Rules: []*Rule{
		websocketURLAsGiven,
		metaContentSplitOnCommas,
		sourceQueryIgnored,
		ipHostsMatch,
		pathDecodedWhole,
		pathMayStartWithDoubleSlash,
		schemelessStarWithPortOrPathIgnored,
		sandboxedConnectSchemelessIgnored,
		strictDynamicInDefaultSrc,
		missingHTTPPortMatches443,
		port80Matches443,
		selfSkipsLocalSchemes,
		starMatchesDataImages,
		hashPaddingOptional,
		wasmCompileUnchecked,
		sandboxIgnoredInWorkers,
		sandboxFlagsAccumulate,
		stringTimerNeedsTrustedTypes,
	},
	Checks: fittedChecks,
}

var dialects = []*Dialect{Chromium, Firefox, WebKit}

// fittedChecks are the checks beyond requests every dialect was fitted on:
// all the harness observes (rtc is not observable in a headless engine).
var fittedChecks = []string{corpus.CheckInline, corpus.CheckEval, corpus.CheckWasm, corpus.CheckNavigationRequest,
	corpus.CheckNavigationResponse, corpus.CheckBase, corpus.CheckSandbox}
