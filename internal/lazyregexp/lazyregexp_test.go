package lazyregexp

import (
	"regexp"
	"testing"
)

func TestCompiledOnFirstUseOnce(t *testing.T) {
	calls := 0
	r := Of(func() *regexp.Regexp { calls++; return regexp.MustCompile(`b+`) })
	if calls != 0 {
		t.Fatal("compiled before use")
	}
	if got := r.ReplaceAllString("abbbc", "-"); got != "a-c" || !r.MatchString("b") || calls != 1 {
		t.Errorf("got %q, compiled %d times", got, calls)
	}
}

func TestBadPatternPanicsAtFirstUse(t *testing.T) {
	r := New(`(`)
	defer func() {
		if recover() == nil {
			t.Error("a bad pattern did not panic")
		}
	}()
	r.MatchString("x")
}
