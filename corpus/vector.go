package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/cspmodel/cspmodel/model"
)

// This file defines the public test-vector format (docs/vectors.md): JSON
// lines, one Case per line in, one Result per line out.

// Case is one decision to make: the policies a document received, its
// origin, and one check: a request (the default), or one of the other checks
// Check names, with the input of its own field (checks.go).
type Case struct {
	ID string `json:"id"`
	// CheckType is one of Checks; "" is CheckRequest (CheckName).
	CheckType string        `json:"check,omitempty"`
	Policies  []PolicyInput `json:"policies"`
	// SelfOrigin is the origin 'self' stands for, the CSP list's
	// self-origin: the document's origin, but for a sandboxed document,
	// whose self-origin is the origin of its URL (#parse-response-csp step
	// 4) and whose own origin is opaque.
	SelfOrigin string `json:"self_origin"`
	// SelfByHand, when set, stands for SelfOrigin: an origin only the Go
	// API can pass, one no URL parser gives (a tuple of a scheme with no
	// default port, a host whose kind its text contradicts, a default port
	// written out). The vector format cannot write it, and SelfOrigin still
	// names the case. The fuzz targets set it (fuzz/handbuilt.go).
	SelfByHand *model.Origin `json:"-"`
	// URLsByHand, when set, is called on the URL records the case decides,
	// once they are parsed (the request's or the navigation's URL list, or
	// the <base> URL as a list of one), and may change them into records
	// only the Go API can pass (a host in upper case, a path with no "/"
	// in front, a default port written out). As SelfByHand, the vector
	// format cannot write it, and the case's strings still name the URLs.
	// The fuzz targets set it (fuzz/handbuilt.go).
	URLsByHand func(urls []model.URL) `json:"-"`
	// Global describes the global object the check runs in; nil is a
	// Window whose URL is the self-origin's.
	Global     *GlobalInput     `json:"global,omitempty"`
	Request    RequestInput     `json:"request,omitzero"`
	Inline     *InlineInput     `json:"inline,omitempty"`
	Eval       *EvalInput       `json:"eval,omitempty"`
	Navigation *NavigationInput `json:"navigation,omitempty"`
	BaseURL    string           `json:"base_url,omitempty"`
	Expect     *Expectation     `json:"expect,omitempty"`
	Source     string           `json:"source,omitempty"`
	Note       string           `json:"note,omitempty"`

	// claims are the hash-of and hash-of-text lines of a txtar case: the
	// digests its policies are said to hold (TestHashClaims checks them).
	claims []hashClaim
}

// PolicyInput is one delivery of policies: a header line or a <meta> element.
type PolicyInput struct {
	Value       string `json:"value"`
	Disposition string `json:"disposition,omitempty"` // "enforce" (default) or "report"
	Source      string `json:"source,omitempty"`      // "header" (default) or "meta"
}

// RequestInput is the request: either a Kind, or a Destination (with an
// optional Initiator and Mode), and the Fetch URL list.
type RequestInput struct {
	Kind        string   `json:"kind,omitempty"`
	Destination *string  `json:"destination,omitempty"`
	Initiator   string   `json:"initiator,omitempty"`
	Mode        string   `json:"mode,omitempty"`
	URLList     []string `json:"url_list"`

	Nonce              string   `json:"nonce,omitempty"`
	Integrity          string   `json:"integrity,omitempty"`
	ParserMetadata     string   `json:"parser_metadata,omitempty"`
	WebTransportHashes []string `json:"webtransport_hashes,omitempty"`
}

// Expectation is what a case expects: a verdict and, when Violations is
// non-nil, exactly those violations. Cases in corpus/ carry one; other
// implementations ignore it.
type Expectation struct {
	Verdict    string      `json:"verdict"`
	Violations []Violation `json:"violations,omitempty"`
	// SandboxFlags, for a sandbox check, are the expected flags when
	// non-nil ([] for none).
	SandboxFlags []string `json:"sandbox_flags,omitzero"`
}

// MarshalJSON writes an exact empty list of violations as [] and leaves out
// only a list that is not stated (nil), so that "no violations" and "any
// violations" read differently.
func (e Expectation) MarshalJSON() ([]byte, error) {
	type stated struct {
		Verdict      string       `json:"verdict"`
		Violations   *[]Violation `json:"violations,omitempty"`
		SandboxFlags []string     `json:"sandbox_flags,omitzero"`
	}
	s := stated{Verdict: e.Verdict, SandboxFlags: e.SandboxFlags}
	if e.Violations != nil {
		s.Violations = &e.Violations
	}
	return json.Marshal(s)
}

// Result is the answer to one Case: a verdict and its violations, or an
// error (the case cannot be decided, or the API or Fetch refuses the
// request), or, from an implementation other than the model, Unsupported: a
// case it cannot express (a field it does not model), with the reason.
type Result struct {
	ID         string      `json:"id"`
	Verdict    string      `json:"verdict,omitempty"`
	Violations []Violation `json:"violations"`
	// SandboxFlags are, for a sandbox check, the sandboxing flags the
	// global object's CSP list derives, by their HTML names, sorted; [] for
	// none. Other checks leave it nil, and it is not written.
	SandboxFlags []string `json:"sandbox_flags,omitzero"`
	Error        string   `json:"error,omitempty"`
	Unsupported  string   `json:"unsupported,omitempty"`
}

// Violation is one reported violation.
type Violation struct {
	// Policy is the index in Case.Policies of the delivery that carried the
	// violated policy; OriginalPolicy is that policy's text (one member of a
	// comma-separated header value).
	Policy             int    `json:"policy"`
	OriginalPolicy     string `json:"original_policy"`
	Directive          string `json:"directive"`
	EffectiveDirective string `json:"effective_directive"`
	Disposition        string `json:"disposition"`
	BlockedURI         string `json:"blocked_uri"`
	// Check is "request" (pre-request checks) or "response" (post-request
	// checks) for a request, and for the other checks the check's name
	// ("inline", "eval", … ViolationChecks lists them); RedirectCount is
	// the request's redirect count at the time (0 outside requests and
	// navigations).
	Check         string `json:"check"`
	RedirectCount int    `json:"redirect_count"`
	// Sample is the violation's sample ('report-sample'), omitted when
	// empty.
	Sample string `json:"sample,omitempty"`
	// Element is the local name of the element an inline violation is
	// about, omitted when there is none.
	Element string `json:"element,omitempty"`
	// ResponsePolicy is true when the violated policy is one of a
	// navigation response's own (navigation.response.policies[Policy]),
	// not one of the case's policies.
	ResponsePolicy bool `json:"response_policy,omitempty"`
	// ReportBody is the JSON body of the report-uri report of the
	// violation (#deprecated-serialize-violation), written only on request
	// (RunModelWithReportBodies, csp check --report-body).
	ReportBody RawJSON `json:"report_body,omitempty"`
}

// Verdict strings of the format. VerdictError appears only in expectations:
// the case must be refused (its result carries an error), as the API or
// Fetch refuses the request before CSP sees it.
const (
	VerdictAllowed = "allowed"
	VerdictBlocked = "blocked"
	VerdictError   = "error"
)

// Expectation returns the expectation a result states: its verdict and its
// violations, or VerdictError for a refused case.
func (r Result) Expectation() *Expectation {
	if r.Error != "" {
		return &Expectation{Verdict: VerdictError}
	}
	e := &Expectation{Verdict: r.Verdict, Violations: append([]Violation{}, r.Violations...)}
	if r.SandboxFlags != nil {
		e.SandboxFlags = append([]string{}, r.SandboxFlags...)
	}
	for i := range e.Violations {
		e.Violations[i].ReportBody = ""
	}
	return e
}

// ErrCase is wrapped by every error about a malformed case.
var ErrCase = errors.New("invalid case")

// DecodeCase reads one JSON case strictly: unknown fields (a typo, "url":
// instead of "url_list", or "ID" for "id"), repeated fields, invalid UTF-8
// and anything after the case are errors, not a silently different case.
func DecodeCase(line []byte) (Case, error) {
	if c, ok := decodeFast(line); ok {
		return c, nil
	}
	var c Case
	if err := jsonv2.Unmarshal(line, &c, jsonv2.RejectUnknownMembers(true)); err != nil {
		return Case{}, fmt.Errorf("%w: %s", ErrCase, jsonError(err))
	}
	return c, nil
}

// jsonError words a decoding error the same way in every run (the JSON
// library varies its own wording of some errors from one process to the
// next, on purpose).
func jsonError(err error) string {
	var syn *jsontext.SyntacticError
	var sem *jsonv2.SemanticError
	switch {
	case errors.As(err, &syn):
		if strings.HasSuffix(syn.Err.Error(), "after top-level value") {
			return "more than one JSON value on the line"
		}
		return err.Error()
	case errors.As(err, &sem) && errors.Is(err, jsonv2.ErrUnknownName):
		return fmt.Sprintf("json: unknown field %q", sem.JSONPointer.LastToken())
	case errors.As(err, &sem):
		msg := "json: cannot read"
		if sem.JSONKind != 0 {
			msg += " JSON " + sem.JSONKind.String()
		}
		if sem.GoType != nil {
			msg += " as Go " + sem.GoType.String()
		}
		if sem.JSONPointer != "" {
			msg += fmt.Sprintf(" at %q", sem.JSONPointer)
		}
		if sem.Err != nil {
			msg += ": " + sem.Err.Error()
		}
		return msg
	}
	return err.Error()
}

// byHand passes urls to URLsByHand, when it is set.
func (c Case) byHand(urls []model.URL) {
	if c.URLsByHand != nil {
		c.URLsByHand(urls)
	}
}

// selfOrigin is the origin 'self' stands for: SelfByHand when set, else
// SelfOrigin read by parse (the model's or the engine's ParseOrigin).
func (c Case) selfOrigin(parse func(string) (model.Origin, error)) (model.Origin, error) {
	if c.SelfByHand != nil {
		return *c.SelfByHand, nil
	}
	if c.SelfOrigin == "" {
		return model.Origin{}, fmt.Errorf("%w: self_origin is missing", ErrCase)
	}
	o, err := parse(c.SelfOrigin)
	if err != nil {
		return model.Origin{}, fmt.Errorf("%w: self_origin: %w", ErrCase, err)
	}
	return o, nil
}

// Inputs is a case turned into the model's inputs.
type Inputs struct {
	Deliveries []model.PolicyDelivery
	SelfOrigin model.Origin
	Request    model.Request
}

// Build checks a case and turns it into the model's inputs: the policy
// deliveries, the self-origin and the request, built by the caller's
// constructor for a kind or from destination, initiator and mode.
func (c Case) Build() (Inputs, error) {
	var in Inputs
	var err error
	if ck := c.CheckName(); ck != CheckRequest {
		return in, fmt.Errorf("%w: a %s check is not a request (Build builds requests; RunModel decides every check)", ErrCase, ck)
	}
	if err := c.Validate(); err != nil {
		return in, err
	}
	if in.Deliveries, err = c.Deliveries(); err != nil {
		return in, err
	}
	if in.SelfOrigin, err = c.selfOrigin(model.ParseOrigin); err != nil {
		return in, err
	}
	r, err := c.Request.Build()
	if err != nil {
		return in, err
	}
	c.byHand(r.URLList)
	in.Request = r
	return in, nil
}

// Deliveries checks the case's policies and returns them as deliveries.
func (c Case) Deliveries() ([]model.PolicyDelivery, error) {
	var out []model.PolicyDelivery
	for i, p := range c.Policies {
		d := model.PolicyDelivery{Value: p.Value, Disposition: model.Enforce, Source: model.HeaderSource}
		switch p.Disposition {
		case "", "enforce":
		case "report":
			d.Disposition = model.Report
		default:
			return nil, fmt.Errorf("%w: policies[%d].disposition %q is not \"enforce\" or \"report\"", ErrCase, i, p.Disposition)
		}
		switch p.Source {
		case "", "header":
		case "meta":
			d.Source = model.MetaSource
		default:
			return nil, fmt.Errorf("%w: policies[%d].source %q is not \"header\" or \"meta\"", ErrCase, i, p.Source)
		}
		out = append(out, d)
	}
	return out, nil
}

// Values of the request fields that name a Fetch concept: the initiators
// (https://fetch.spec.whatwg.org/#concept-request-initiator), the modes
// (#concept-request-mode; "" leaves it unsaid) and the parser metadata
// (#concept-request-parser-metadata). A case with any other value is
// refused rather than decided as if the field were empty: "prefetch " with a
// space is a typo, not a request that is not a prefetch.
var (
	initiators     = model.Initiators()
	modes          = model.Modes()
	parserMetadata = model.ParserMetadatas()
)

// Check reports whether the request part of a case is well formed: a kind
// or a destination (not both), values Fetch knows, and a URL list. The
// model and the engine both refuse what it refuses, with the same message.
func (r RequestInput) Check() error {
	if len(r.URLList) == 0 {
		return fmt.Errorf("%w: request.url_list is empty", ErrCase)
	}
	switch {
	case r.Kind != "" && r.Destination != nil:
		return fmt.Errorf("%w: request has both kind and destination", ErrCase)
	case r.Kind != "":
		if r.Initiator != "" || r.Mode != "" {
			return fmt.Errorf("%w: request.kind %q sets its own initiator and mode", ErrCase, r.Kind)
		}
		if _, ok := model.Kinds[r.Kind]; !ok {
			return fmt.Errorf("%w: request.kind %q is not one of %s", ErrCase, r.Kind, strings.Join(model.KindNames(), ", "))
		}
	case r.Destination != nil:
		if !model.IsDestination(*r.Destination) {
			return fmt.Errorf("%w: request.destination %q is not a Fetch destination", ErrCase, *r.Destination)
		}
	default:
		return fmt.Errorf("%w: request needs a kind or a destination", ErrCase)
	}
	for _, f := range []struct {
		name, value string
		allowed     []string
	}{
		{"initiator", r.Initiator, initiators},
		{"mode", r.Mode, modes},
		{"parser_metadata", r.ParserMetadata, parserMetadata},
	} {
		if !slices.Contains(f.allowed, f.value) {
			return fmt.Errorf("%w: request.%s %q is not one of %q", ErrCase, f.name, f.value, f.allowed)
		}
	}
	return nil
}

// Build turns the request part of a case into a model request.
func (r RequestInput) Build() (model.Request, error) {
	var req model.Request
	if err := r.Check(); err != nil {
		return req, err
	}
	if r.Kind != "" {
		var err error
		if req, err = model.Kinds[r.Kind](r.URLList[0]); err != nil {
			return req, err
		}
	} else {
		u, err := model.ParseURL(r.URLList[0])
		if err != nil {
			return req, err
		}
		req = model.Request{URLList: []model.URL{u}, Destination: *r.Destination, Initiator: r.Initiator, Mode: r.Mode}
	}
	req.CryptographicNonceMetadata = r.Nonce
	req.IntegrityMetadata = r.Integrity
	req.ParserMetadata = r.ParserMetadata
	req.WebTransportHashList = r.WebTransportHashes
	return model.WithRedirects(req, r.URLList[1:]...)
}

// FromDecision turns a model decision into a result.
func FromDecision(id string, d model.Decision) Result {
	res := Result{ID: id, Verdict: VerdictAllowed, Violations: []Violation{}}
	if d.Verdict == model.Blocked {
		res.Verdict = VerdictBlocked
	}
	for _, v := range d.Violations {
		res.Violations = append(res.Violations, Violation{
			Policy:             v.Policy.Delivery,
			OriginalPolicy:     v.Policy.Text,
			Directive:          v.Directive,
			EffectiveDirective: v.EffectiveDirective,
			Disposition:        string(v.Disposition),
			BlockedURI:         model.ObtainViolationBlockedURI(v.Resource),
			Check:              string(v.Check),
			RedirectCount:      v.RedirectCount,
			Sample:             v.Sample,
		})
		if v.Element != nil {
			res.Violations[len(res.Violations)-1].Element = v.Element.LocalName
		}
	}
	return res
}

// RunModel decides a case, of any check, with the model; trace may be nil.
// Its violations carry no report body (RunModelWithReportBodies adds them).
func RunModel(c Case, trace *model.Trace) Result {
	return runModel(c, trace, false, modelRun{})
}

// RunModelWithReportBodies is RunModel with the report-uri body of every
// violation (Violation.ReportBody).
func RunModelWithReportBodies(c Case, trace *model.Trace) Result {
	return runModel(c, trace, true, modelRun{})
}

// RunModelInKind is RunModel in a global object of the given kind, which
// may be a number outside model.GlobalKind's three: a Go caller can pass
// one, the vector format cannot write one (global.kind is a name). The
// fuzz targets hold the engine's answer in such a kind (EngineCheck.Kind)
// to this one.
func RunModelInKind(c Case, kind model.GlobalKind, trace *model.Trace) Result {
	return runModel(c, trace, false, modelRun{kind: &kind})
}

// RunModelWithDeliveries is RunModel with the case's policies, as
// deliveries (Case.Deliveries), passed through change first: a Go caller
// can give model.NewCSPList deliveries the vector format cannot write (a
// disposition or source none of the named values, which the model refuses,
// docs/spec-mapping.md D6). The fuzz targets hold the engine's answer to
// the same deliveries to this one.
func RunModelWithDeliveries(c Case, change func([]model.PolicyDelivery) []model.PolicyDelivery, trace *model.Trace) Result {
	return runModel(c, trace, false, modelRun{deliveries: change})
}

// Decider decides cases: the model, the engine, or another implementation.
type Decider func(Case) Result

// MaxLine is the longest line RunLines and LineReader read whole, 64 MiB.
const MaxLine = 64 << 20

// ErrLineTooLong is returned by LineReader.Next for a line over its limit.
var ErrLineTooLong = errors.New("line too long")

// LineReader reads lines of at most a given length, and skips the rest of a
// longer one instead of stopping, so that one huge line costs a bounded
// amount of memory and the next line is still read.
type LineReader struct {
	// StopAtLongLine makes Next return ErrLineTooLong as soon as a line
	// passes the limit, without reading the rest of it: for input that may
	// never end, such as the output of a program under test.
	StopAtLongLine bool

	br    *bufio.Reader
	max   int
	line  []byte
	count int // lines read so far, the current one included
}

// NewLineReader reads lines of at most max bytes from r.
func NewLineReader(r io.Reader, max int) *LineReader {
	return &LineReader{br: bufio.NewReaderSize(r, 1<<16), max: max}
}

// release lets the buffer of a long line go; the slice Next returned last
// must no longer be used.
func (lr *LineReader) release() {
	if cap(lr.line) > 1<<20 {
		lr.line = nil
	}
}

// Next returns the next line without its end of line, and its number from
// 1. A line longer than the limit gives an error wrapping ErrLineTooLong
// (the reader moves past it); the end of input gives io.EOF. The returned
// slice is valid until the next call.
func (lr *LineReader) Next() ([]byte, int, error) {
	lr.release()
	lr.line = lr.line[:0]
	tooLong := false
	for first := true; ; first = false {
		chunk, err := lr.br.ReadSlice('\n')
		if first && err == nil && len(chunk) <= lr.max+1 {
			// The whole line is in the reader's buffer: no copy.
			lr.count++
			return bytes.TrimSuffix(bytes.TrimSuffix(chunk, []byte("\n")), []byte("\r")), lr.count, nil
		}
		if !tooLong {
			if len(lr.line)+len(chunk) > lr.max+1 {
				tooLong, lr.line = true, lr.line[:0]
				if lr.StopAtLongLine {
					lr.count++
					return nil, lr.count, fmt.Errorf("line %d: %w: over %d bytes", lr.count, ErrLineTooLong, lr.max)
				}
			} else {
				lr.line = append(lr.line, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(chunk) == 0 && len(lr.line) == 0 && !tooLong {
			return nil, lr.count, io.EOF
		}
		lr.count++
		if err != nil && err != io.EOF {
			return nil, lr.count, err
		}
		if tooLong {
			return nil, lr.count, fmt.Errorf("line %d: %w: over %d bytes", lr.count, ErrLineTooLong, lr.max)
		}
		return bytes.TrimSuffix(bytes.TrimSuffix(lr.line, []byte("\n")), []byte("\r")), lr.count, nil
	}
}

// RunLines reads JSON-lines cases from r and writes one JSON result per line
// to w, in order. A line that is not a valid case, or is longer than
// MaxLine, gets a result with an error, and the run goes on. Blank lines are
// skipped. It returns the number of cases read, and an error only when
// reading or writing fails.
func RunLines(r io.Reader, w io.Writer, decide Decider) (int, error) {
	lr := NewLineReader(r, MaxLine)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var out []byte
	n := 0
	for {
		line, _, err := lr.Next()
		if err == io.EOF {
			return n, nil
		}
		var res Result
		switch {
		case errors.Is(err, ErrLineTooLong):
			res = Result{Error: fmt.Sprintf("%v: %v", ErrCase, err)}
		case err != nil:
			return n, err
		default:
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			c, err := DecodeCase(line)
			if err != nil {
				res = Result{ID: lineID(line), Error: err.Error()}
			} else {
				// The case holds copies of what it needs: a long line's
				// buffer can go before the case is decided.
				lr.release()
				res = decide(c)
			}
		}
		n++
		var ok bool
		if out, ok = appendResult(out[:0], &res); ok {
			_, err = w.Write(out)
		} else {
			err = enc.Encode(res)
		}
		if err != nil {
			return n, err
		}
		if cap(out) > 1<<20 {
			out = nil // a long result's buffer goes with it
		}
	}
}

// lineID recovers the id of a line that is not a valid case, when it has one.
func lineID(line []byte) string {
	var v struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(line, &v)
	return v.ID
}
