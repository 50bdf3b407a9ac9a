package events

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseStartTime reads openai-get-events' start_time: RFC 3339
// ("2026-11-24T08:00:00Z"), ISO 8601 without a zone (read as UTC), a date
// ("2026-11-24", UTC), Unix seconds ("1764000000"), "now", or a relative
// time ("3 days ago", "2 hours ago", "1 week ago", "30 minutes ago", "90
// seconds ago", "1 month ago", also abbreviated: "3d ago", "2h ago"). now
// anchors relative times. A time in the future is not an error (the
// integration's own documentation gives 2099-01-01T00:00:00Z as an
// example): there is simply nothing after it yet.
func ParseStartTime(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, fmt.Errorf("start_time is empty: give RFC 3339 (2026-11-24T08:00:00Z), Unix seconds, or a relative time such as \"3 days ago\"")
	}
	if strings.EqualFold(in, "now") {
		return now, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, in); err == nil {
			return t, nil // a layout without a zone reads as UTC
		}
	}
	if n, err := strconv.ParseInt(in, 10, 64); err == nil {
		if n > 1e11 { // milliseconds, as some tools write them
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if t, ok := parseRelative(in, now); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("start_time %q is not a time: give RFC 3339 (2026-11-24T08:00:00Z), Unix seconds, or a relative time such as \"3 days ago\" or \"2 hours ago\"", s)
}

var units = map[string]time.Duration{
	"s": time.Second, "sec": time.Second, "secs": time.Second, "second": time.Second, "seconds": time.Second,
	"m": time.Minute, "min": time.Minute, "mins": time.Minute, "minute": time.Minute, "minutes": time.Minute,
	"h": time.Hour, "hr": time.Hour, "hrs": time.Hour, "hour": time.Hour, "hours": time.Hour,
	"d": 24 * time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour,
	"w": 7 * 24 * time.Hour, "week": 7 * 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
}

// parseRelative reads "<n> <unit> ago" (the "ago" is optional, the space
// too: "3d"). Months and years are calendar months and years.
func parseRelative(s string, now time.Time) (time.Time, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSpace(strings.TrimSuffix(s, "ago"))
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return time.Time{}, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return time.Time{}, false
	}
	unit := strings.TrimSpace(s[i:])
	switch unit {
	case "month", "months", "mo":
		return now.AddDate(0, -min(n, maxBack*12), 0), true
	case "year", "years", "y", "yr", "yrs":
		return now.AddDate(-min(n, maxBack), 0, 0), true
	}
	d, ok := units[unit]
	if !ok {
		return time.Time{}, false
	}
	if n > int(maxBack*365*24*time.Hour/d) {
		return now.AddDate(-maxBack, 0, 0), true // no overflow: further back changes nothing
	}
	return now.Add(-time.Duration(n) * d), true
}

// maxBack is how many years back a relative start_time can reach: far
// before any OpenAI log, and within time.Duration's range.
const maxBack = 200
