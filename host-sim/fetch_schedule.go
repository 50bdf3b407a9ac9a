package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soarkit/openai-gpt/internal/host"
	"github.com/soarkit/openai-gpt/internal/settings"
)

// fetchOptions are the flags of `fetch`, on the command line and in the
// REPL alike.
type fetchOptions struct {
	once, drain, stats bool
	every              everyFlag
}

// everyFlag is --every: a duration, or nothing for the instance's
// eventFetchInterval (what a platform's schedule would use).
type everyFlag struct {
	d        time.Duration
	instance bool // --every given without a duration
	set      bool
}

func (e *everyFlag) String() string {
	if e.instance {
		return "eventFetchInterval"
	}
	if e.d == 0 {
		return ""
	}
	return e.d.String()
}

func (e *everyFlag) Set(s string) error {
	e.set = true
	if s == "" {
		e.instance = true
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 30s or 5m (give --every alone for the instance's eventFetchInterval)", s)
	}
	if d <= 0 {
		return errors.New("the interval must be more than 0")
	}
	e.d = d
	return nil
}

// fetchFlags registers fetch's flags on fs and parses args. On a bad
// line it prints why and returns nil.
func (a *app) fetchFlags(fs *flag.FlagSet, args []string) *fetchOptions {
	o := &fetchOptions{}
	fs.BoolVar(&o.once, "once", false, "run one cycle (the default)")
	fs.Var(&o.every, "every", "run a cycle every `DURATION` until interrupted; alone, every eventFetchInterval of the instance")
	fs.BoolVar(&o.drain, "drain", false, "run cycles back to back until one stores nothing (catch up a backlog)")
	fs.BoolVar(&o.stats, "stats", false, "print each cycle's throughput and the peak memory of host-sim and the plugin")
	rest, err := parseInterspersed(fs, bareEvery(args))
	if err != nil {
		return nil
	}
	modes := 0
	for _, on := range []bool{o.once, o.every.set, o.drain} {
		if on {
			modes++
		}
	}
	switch {
	case len(rest) > 0:
		a.fail(exitRefused, "fetch takes no arguments")
		return nil
	case modes > 1:
		a.fail(exitRefused, "fetch: give one of --once, --every or --drain")
		return nil
	}
	return o
}

// bareEvery spells a lone --every (last, or followed by another flag) as
// --every=, which the flag package would otherwise refuse for want of a
// value. A negative duration after it stays its value, to be refused as
// such.
func bareEvery(args []string) []string {
	out := slices.Clone(args)
	for i, arg := range out {
		if arg == "--" {
			break
		}
		if arg != "--every" && arg != "-every" {
			continue
		}
		if i+1 == len(out) || (strings.HasPrefix(out[i+1], "-") && !isDuration(out[i+1])) {
			out[i] = arg + "="
		}
	}
	return out
}

func isDuration(s string) bool {
	_, err := time.ParseDuration(s)
	return err == nil
}

// interval is the time between scheduled cycles: --every's duration, or
// the instance's eventFetchInterval (set, else the manifest's default).
func (a *app) interval(ctx context.Context, h *host.Host, o *fetchOptions) (time.Duration, error) {
	if !o.every.instance {
		return o.every.d, nil
	}
	stored, err := h.Store().Params(ctx)
	if err != nil {
		return 0, err
	}
	const name = "eventFetchInterval"
	for _, r := range host.ResolveParams(h.Manifest(), stored, a.secretEnv) {
		if r.Param.Name != name {
			continue
		}
		// settings.Parse holds the one reading of the parameter (minutes,
		// or a duration such as 90s); given this parameter alone, nothing
		// else can fail.
		s, err := settings.Parse(map[string]any{name: r.Value}, nil)
		if err != nil {
			return 0, fmt.Errorf("fix it with instance set %s=MINUTES: %w", name, err)
		}
		return s.FetchInterval, nil
	}
	return settings.DefaultFetchInterval, nil
}
