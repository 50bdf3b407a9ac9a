package commands

import (
	"fmt"
	"sort"
	"strings"

	"github.com/soarkit/openai-gpt/internal/email"
	"github.com/soarkit/openai-gpt/internal/warroom"
)

// analystHeaders are the headers an analyst reads first, in that order;
// the rest (X-MS-* blobs, DKIM signatures, list headers) fold behind a
// count, whole in the entry's data.
var analystHeaders = []string{"From", "To", "Subject", "Date", "Reply-To", "Return-Path", "Authentication-Results", "Received", "Message-ID"}

// headerTable renders the analyst's headers first, the Received chain as a
// one-line summary (the hops have their own table), and the others as a
// count by kind.
func headerTable(msg *email.Message, name string) string {
	t := warroom.NewTable("Email headers: "+name, "Name", "Value")
	byName := map[string][]string{}
	for _, h := range msg.Headers {
		k := strings.ToLower(h.Name)
		byName[k] = append(byName[k], h.Value)
	}
	shown := map[string]bool{}
	for _, n := range analystHeaders {
		k := strings.ToLower(n)
		shown[k] = true
		values := byName[k]
		switch {
		case k == "received":
			t.Row("Received", receivedSummary(msg.Forensics.Hops, len(values)))
		case len(values) == 0:
			t.Row(n, "(none)")
		default:
			for _, v := range values {
				t.Row(n, capText(v))
			}
		}
	}
	kinds := map[string]int{}
	other := 0
	for _, h := range msg.Headers {
		if shown[strings.ToLower(h.Name)] {
			continue
		}
		other++
		kinds[headerKind(h.Name)]++
	}
	if other > 0 {
		t.Row(fmt.Sprintf("%d other headers", other), foldedKinds(kinds)+" — all in the entry's data (headers)")
	}
	return t.Markdown()
}

// receivedSummary is the Received chain in one line: hop count, first
// sender, last receiver and the time it took.
func receivedSummary(hops []email.Hop, n int) string {
	if n == 0 || len(hops) == 0 {
		return "(none)"
	}
	first, last := hops[0], hops[len(hops)-1]
	s := fmt.Sprintf("%d hops: %s → %s", len(hops), orDashCell(first.From), orDashCell(last.By))
	if !first.Time.IsZero() && !last.Time.IsZero() && last.Time.After(first.Time) {
		s += fmt.Sprintf(" in %s", last.Time.Sub(first.Time))
	}
	return s + " (table below)"
}

func orDashCell(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0] // the host name, without its (rDNS [IP]) comment
	}
	return "-"
}

// headerKind groups a header name for the folded count: X-MS-Exchange-*
// and X-Microsoft-* are "X-MS-*", other X- headers "X-*".
func headerKind(name string) string {
	l := strings.ToLower(name)
	switch {
	case strings.HasPrefix(l, "x-ms-") || strings.HasPrefix(l, "x-microsoft-") || strings.HasPrefix(l, "x-forefront-"):
		return "X-MS-*"
	case strings.HasPrefix(l, "arc-"):
		return "ARC-*"
	case strings.HasPrefix(l, "list-"):
		return "List-*"
	case strings.HasPrefix(l, "x-"):
		return "X-*"
	}
	return name
}

// foldedKinds is "12 X-MS-*, 3 ARC-*, DKIM-Signature, MIME-Version", most
// frequent first.
func foldedKinds(kinds map[string]int) string {
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if kinds[names[i]] != kinds[names[j]] {
			return kinds[names[i]] > kinds[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n
		if kinds[n] > 1 {
			parts[i] = fmt.Sprintf("%d %s", kinds[n], n)
		}
	}
	return strings.Join(parts, ", ")
}

// sameWords reports whether a and b hold the same words, whitespace aside.
func sameWords(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}
