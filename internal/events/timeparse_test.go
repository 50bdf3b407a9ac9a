package events

import (
	"strings"
	"testing"
	"time"
)

func TestParseStartTime(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Time
		err  string
	}{
		{"2026-11-24T08:00:00Z", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), ""},
		{"2026-11-24T09:00:00+01:00", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), ""},
		{"2026-11-24", time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC), ""},
		{"1764000000", time.Unix(1764000000, 0), ""},
		{"1764000000000", time.Unix(1764000000, 0), ""},
		{"3 days ago", now.Add(-72 * time.Hour), ""},
		{"2 hours ago", now.Add(-2 * time.Hour), ""},
		{"1 week ago", now.Add(-7 * 24 * time.Hour), ""},
		{"30 minutes ago", now.Add(-30 * time.Minute), ""},
		{"1 hour ago", now.Add(-time.Hour), ""},
		{"  5 Days Ago ", now.Add(-120 * time.Hour), ""},
		{"3d ago", now.Add(-72 * time.Hour), ""},
		{"2h", now.Add(-2 * time.Hour), ""},
		{"1 month ago", time.Date(2026, 10, 25, 12, 0, 0, 0, time.UTC), ""},
		{"now", now, ""},
		{"", time.Time{}, "start_time is empty"},
		{"yesterday-ish", time.Time{}, "start_time"},
		{"3 fortnights ago", time.Time{}, "start_time"},
		{"2099-01-01T00:00:00Z", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), ""},  // future: nothing yet, not an error
		{"2026-11-24T08:00:00", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), ""}, // no zone: UTC
		{"2026-11-24 08:00:00", time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), ""},
		{"99999999999 days ago", now.AddDate(-maxBack, 0, 0), ""},
		{"99999999999 months ago", now.AddDate(-maxBack, 0, 0), ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseStartTime(tc.in, now)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !got.Equal(tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
