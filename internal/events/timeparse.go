package events

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseStartTime reads openai-get-events' start_time: RFC 3339
// ("2026-11-24T08:00:00Z"), a date ("2026-11-24", UTC), Unix seconds
// ("1764000000"), "now", or a relative time ("3 days ago", "2 hours ago",
// "1 week ago", "30 minutes ago", "90 seconds ago", "1 month ago", also
// abbreviated: "3d ago", "2h ago"). now anchors relative times.
func ParseStartTime(s string, now time.Time) (time.Time, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return time.Time{}, fmt.Errorf("start_time is empty: give RFC 3339 (2026-11-24T08:00:00Z), Unix seconds, or a relative time such as \"3 days ago\"")
	}
	if strings.EqualFold(in, "now") {
		return now, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, in); err == nil {
		return checkStart(s, t, now)
	}
	if t, err := time.Parse("2006-01-02", in); err == nil {
		return checkStart(s, t, now)
	}
	if n, err := strconv.ParseInt(in, 10, 64); err == nil {
		if n > 1e11 { // milliseconds, as some tools write them
			return checkStart(s, time.UnixMilli(n).UTC(), now)
		}
		return checkStart(s, time.Unix(n, 0).UTC(), now)
	}
	if t, ok := parseRelative(in, now); ok {
		return checkStart(s, t, now)
	}
	return time.Time{}, fmt.Errorf("start_time %q is not a time: give RFC 3339 (2026-11-24T08:00:00Z), Unix seconds, or a relative time such as \"3 days ago\" or \"2 hours ago\"", s)
}

func checkStart(s string, t, now time.Time) (time.Time, error) {
	if t.After(now) {
		return time.Time{}, fmt.Errorf("start_time %q is in the future (now is %s)", s, now.UTC().Format(time.RFC3339))
	}
	return t, nil
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
		return now.AddDate(0, -n, 0), true
	case "year", "years", "y", "yr", "yrs":
		return now.AddDate(-n, 0, 0), true
	}
	d, ok := units[unit]
	if !ok {
		return time.Time{}, false
	}
	return now.Add(-time.Duration(n) * d), true
}
