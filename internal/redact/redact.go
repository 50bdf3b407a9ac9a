// Package redact keeps credentials out of everything the plugin shows:
// log lines, entries and errors.
package redact

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "********"

// minSecretLen avoids masking short values that happen to be typed as a
// secret (a one-letter test key would otherwise mangle every "a").
const minSecretLen = 6

// Redactor masks every secret it has been told about. The zero value masks
// nothing and is ready to use; it is safe for concurrent use.
type Redactor struct {
	mu       sync.RWMutex
	secrets  []string
	replacer *strings.Replacer
}

// Add registers secrets to mask from now on, in the spellings they take
// on their way out too: JSON-escaped (encoding/json writes & < > as
// \u0026 \u003c \u003e) and URL-escaped.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	changed := false
	for _, secret := range secrets {
		for _, s := range spellings(secret) {
			if len(s) < minSecretLen || contains(r.secrets, s) {
				continue
			}
			r.secrets = append(r.secrets, s)
			changed = true
		}
	}
	if changed {
		pairs := make([]string, 0, 2*len(r.secrets))
		for _, s := range r.secrets {
			pairs = append(pairs, s, Mask)
		}
		r.replacer = strings.NewReplacer(pairs...)
	}
}

// String returns s with every secret masked.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	rep := r.replacer
	r.mu.RUnlock()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// Writer wraps w so that everything written through it is masked. Writes
// are assumed to be whole lines (as hclog writes them), so a secret is
// never split across two writes.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &writer{r: r, w: w} }

type writer struct {
	r *Redactor
	w io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	masked := w.r.String(string(p))
	if _, err := io.WriteString(w.w, masked); err != nil {
		return 0, err
	}
	return len(p), nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// spellings are s and the forms encoders give it.
func spellings(s string) []string {
	out := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(s) == nil {
			quoted := strings.TrimSuffix(b.String(), "\n")
			out = append(out, quoted[1:len(quoted)-1])
		}
	}
	return out
}
