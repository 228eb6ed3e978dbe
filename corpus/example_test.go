package corpus_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// Decide a file of JSON-lines cases with the model, one result line per
// case, as `csp check --vectors FILE` does; a line that is not a case gets
// an error result and the run goes on.
func ExampleRunLines() {
	cases := strings.NewReader(`{"id":"ws","policies":[{"value":"connect-src 'self'"}],"self_origin":"https://example.com","request":{"kind":"websocket","url_list":["wss://example.com/chat"]}}
{"id":"img","policies":[{"value":"default-src 'none'; img-src https://cdn.example"}],"self_origin":"https://example.com","request":{"destination":"image","url_list":["https://evil.example/x.png"]}}
{"id":"typo","policies":[],"self_origin":"https://example.com","request":{"kind":"fetch","url":"https://example.com/"}}
`)
	decide := func(c corpus.Case) corpus.Result { return corpus.RunModel(c, nil) }
	if _, err := corpus.RunLines(cases, os.Stdout, decide); err != nil {
		panic(err)
	}
	// Output:
	// {"id":"ws","verdict":"allowed","violations":[]}
	// {"id":"img","verdict":"blocked","violations":[{"policy":0,"original_policy":"default-src 'none'; img-src https://cdn.example","directive":"img-src","effective_directive":"img-src","disposition":"enforce","blocked_uri":"https://evil.example/x.png","check":"request","redirect_count":0}]}
	// {"id":"typo","violations":null,"error":"invalid case: json: unknown field \"url\""}
}

// Compare an implementation's results with the model's, field by field, as
// `csp vectors run` does.
func ExampleCompare() {
	c, err := corpus.DecodeCase([]byte(`{"id":"x","policies":[{"value":"connect-src https://example.com"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.org/#frag"]}}`))
	if err != nil {
		panic(err)
	}
	theirs, err := corpus.DecodeResult([]byte(`{"id":"x","verdict":"blocked","violations":[{"policy":0,"original_policy":"connect-src https://example.com","directive":"connect-src","effective_directive":"connect-src","disposition":"enforce","blocked_uri":"https://example.org/#frag","check":"request","redirect_count":0}]}`))
	if err != nil {
		panic(err)
	}
	for _, d := range corpus.Compare(corpus.RunModel(c, nil), theirs, nil) {
		fmt.Println(d)
	}
	fmt.Println(len(corpus.Compare(corpus.RunModel(c, nil), theirs, []string{"verdict", "directive"})))
	// Output:
	// violations[0].blocked_uri: model https://example.org/, implementation https://example.org/#frag
	// 0
}

// Write a vector file: one Case per line, as `csp vectors export` does.
func ExampleCase() {
	dest := "image"
	c := corpus.Case{
		ID:         "logo",
		Policies:   []corpus.PolicyInput{{Value: "img-src 'self'"}, {Value: "default-src 'none'", Disposition: "report"}},
		SelfOrigin: "https://example.com",
		Request:    corpus.RequestInput{Destination: &dest, URLList: []string{"https://example.com/logo.png"}},
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		panic(err)
	}
	// Output:
	// {"id":"logo","policies":[{"value":"img-src 'self'"},{"value":"default-src 'none'","disposition":"report"}],"self_origin":"https://example.com","request":{"destination":"image","url_list":["https://example.com/logo.png"]}}
}

// Decide checks other than requests: a case's check field names the check
// and its own field carries the input (an inline script here, and a
// framed response), and the engine, which decides requests only, says so.
func ExampleRunModel_checks() {
	for _, line := range []string{
		`{"id":"inline","check":"inline","policies":[{"value":"script-src 'nonce-abc' 'report-sample'"}],"self_origin":"https://example.com","inline":{"type":"script","element":{"attributes":[["nonce","abd"]]},"source":"alert(1)"}}`,
		`{"id":"framed","check":"navigation-response","policies":[],"self_origin":"https://example.com","navigation":{"type":"other","url_list":["https://example.com/framed"],"response":{"policies":[{"value":"frame-ancestors 'self'"}]},"ancestors":["https://evil.example"]}}`,
	} {
		c, err := corpus.DecodeCase([]byte(line))
		if err != nil {
			panic(err)
		}
		res := corpus.RunModel(c, nil)
		v := res.Violations[0]
		fmt.Printf("%s: %s by %s (%s), blocked-uri %q, sample %q, the response's policy: %v\n", c.ID, res.Verdict, v.Directive, v.EffectiveDirective, v.BlockedURI, v.Sample, v.ResponsePolicy)
		fmt.Printf("engine: %s\n", corpus.RunEngine(c).Unsupported)
	}
	// Output:
	// inline: blocked by script-src (script-src-elem), blocked-uri "inline", sample "alert(1)", the response's policy: false
	// engine: the engine decides requests only
	// framed: blocked by frame-ancestors (frame-ancestors), blocked-uri "https://example.com/framed", sample "", the response's policy: true
	// engine: the engine decides requests only
}
