package model

import "fmt"

// This file holds the small stand-ins for the HTML and DOM objects the
// checks read: global objects, documents, elements and navigables. Each
// carries only what some algorithm of the spec reads from it.

// GlobalKind is the kind of a global object: a Window, a WorkerGlobalScope
// or a WorkletGlobalScope (https://html.spec.whatwg.org/multipage/webappapis.html#global-object).
type GlobalKind uint8

const (
	// WindowGlobal is a Window, the global object of a document. It is the
	// zero GlobalKind.
	WindowGlobal GlobalKind = iota
	// WorkerGlobal is a WorkerGlobalScope (dedicated, shared or service worker).
	WorkerGlobal
	// WorkletGlobal is a WorkletGlobalScope.
	WorkletGlobal
)

var globalKindNames = [...]string{"Window", "WorkerGlobalScope", "WorkletGlobalScope"}

func (k GlobalKind) String() string {
	if int(k) < len(globalKindNames) {
		return globalKindNames[k]
	}
	return fmt.Sprintf("GlobalKind(%d)", k)
}

// ScriptLocation is where a running script is: its source file's URL, line
// and column (#create-violation-for-global step 2).
type ScriptLocation struct {
	SourceFile   URL
	LineNumber   int
	ColumnNumber int
}

// GlobalObject stands for a global object. The model has no DOM: reporting a
// violation (#report-violation) appends it to Reported instead of firing an
// event and queueing a report, and a csp-hash report (#potentially-report-hash)
// is appended to HashReports instead of being queued.
type GlobalObject struct {
	// Kind is the kind of global object.
	Kind GlobalKind
	// URL is the global object's URL (a Window's is its document's URL), or
	// nil when the caller did not give one.
	URL *URL
	// Referrer is a Window's document's referrer, or nil for none.
	Referrer *URL
	// StatusCode is the HTTP status code of the response the global object
	// was created from (0 when not given).
	StatusCode int
	// RunningScript is the script running in this global object when a
	// check runs, or nil when none is.
	RunningScript *ScriptLocation
	// PolicyContainer is the policy container of the global's environment
	// settings object (for a Window, its document's policy container).
	PolicyContainer *PolicyContainer

	Reported    []Violation
	HashReports []CSPHashReport
}

// Environment describes the global object a check runs in: the CSP list of
// its policy container, and the facts a violation copies from it. The zero
// Environment is a Window with an empty CSP list and no URL, referrer, status
// or running script, which is what Decide assumes for requests.
type Environment struct {
	CSPList       CSPList
	Kind          GlobalKind
	URL           *URL
	Referrer      *URL
	StatusCode    int
	RunningScript *ScriptLocation
}

// NewGlobalObject returns a global object for env, with a policy container
// holding env's CSP list.
func (env Environment) NewGlobalObject() *GlobalObject {
	return &GlobalObject{
		Kind:            env.Kind,
		URL:             env.URL,
		Referrer:        env.Referrer,
		StatusCode:      env.StatusCode,
		RunningScript:   env.RunningScript,
		PolicyContainer: &PolicyContainer{CSPList: env.CSPList},
	}
}

// check reports an Environment that cannot occur: its CSP list first (D6),
// then its kind.
func (env Environment) check() error {
	if err := env.CSPList.check(); err != nil {
		return err
	}
	if env.Kind > WorkletGlobal {
		return fmt.Errorf("%w: %v is not a kind of global object", ErrBadInput, env.Kind)
	}
	return nil
}

// ErrBadInput is wrapped by the errors the entry points other than Decide
// return for inputs that cannot occur (an unknown inline type, a null
// element, a navigation type other than "form-submission" and "other", …).
// Such errors come with a Blocked verdict.
var ErrBadInput = fmt.Errorf("input cannot occur")

// Document stands for a Document (https://dom.spec.whatwg.org/#concept-document):
// its policy container and its global object (a Window).
type Document struct {
	PolicyContainer *PolicyContainer
	Global          *GlobalObject
}

// Attribute is one attribute of an element's attribute list: a name and a
// value.
type Attribute struct {
	Name  string
	Value string
}

// Element stands for an element whose inline behavior (an inline <script>
// or <style>, an event handler or style attribute) is checked.
type Element struct {
	// LocalName is the element's local name: "script", "style", "button", …
	// #is-element-nonceable step 2 treats an element named "script" (in any
	// ASCII case) as a script element.
	LocalName string
	// Attributes is the element's attribute list, in order. The nonce is
	// read from the attribute named "nonce".
	Attributes []Attribute
	// NotParserInserted is true for a script element the parser did not
	// insert (one created by script); the zero value, parser-inserted, is the
	// reading under which 'strict-dynamic' allows nothing inline.
	NotParserInserted bool
	// DuplicateAttribute is true when the element had a duplicate-attribute
	// parse error during tokenization.
	DuplicateAttribute bool
	// Disconnected is true for an element that is not in its document: the
	// violation event then fires at the document instead
	// (#report-violation step 3.1).
	Disconnected bool
	// Document is the element's node document; the entry points set it.
	Document *Document
}

// Attribute returns the value of the element's first attribute named name,
// compared ASCII case-insensitively (the HTML parser lowercases attribute
// names of HTML elements), and whether there is one.
func (e *Element) Attribute(name string) (string, bool) {
	for _, a := range e.Attributes {
		if equalFoldASCII(a.Name, name) {
			return a.Value, true
		}
	}
	return "", false
}

// isScriptElement reports whether e is a <script> element.
func (e *Element) isScriptElement() bool { return equalFoldASCII(e.LocalName, "script") }

// Navigable stands for the navigable a navigation response is for
// (https://html.spec.whatwg.org/multipage/document-sequences.html#navigable):
// a top-level traversable when AncestorOrigins is empty, otherwise a child
// navigable, whose container document has origin AncestorOrigins[0], whose
// parent's container document has origin AncestorOrigins[1], and so on up to
// the top.
type Navigable struct {
	AncestorOrigins []Origin

	// Reported holds the violations reported without a global object
	// (#should-block-navigation-response step 2.1.2: the response's own
	// policies, before any document exists for them). Ambiguity(A27): the
	// spec fires no event for them and sends them only to the policy's
	// reporting endpoints; the model records them here, at the navigable the
	// response was for.
	Reported []Violation
}

// isChild reports whether n is a child navigable.
func (n *Navigable) isChild() bool { return len(n.AncestorOrigins) > 0 }

// CSPHashReport is the body of a csp-hash report (#reporting, "csp hash
// report body") and the report-to endpoint it is queued for.
type CSPHashReport struct {
	DocumentURL    string
	SubresourceURL string
	Hash           string
	Destination    string
	Type           string
	Endpoint       []string
}
