package decimal

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParse(t *testing.T) {
	for _, s := range []string{"0", "2", "-1", "+0.5", ".5", "5.", "1e3", "1.5E-2", "007"} {
		_, err := Parse(s)
		assert.NoError(t, err, s)
	}
	f, _ := Parse("1.5E-2")
	assert.Equal(t, 0.015, f)
	for _, s := range []string{"0x1p1", "-0X1P4", "1_000", "0x1p5000"} {
		_, err := Parse(s)
		assert.ErrorIs(t, err, ErrNotDecimal, s)
	}
	for _, s := range []string{"Inf", "-inf", "NaN", "infinity", "", " 1", "1 ", "e5", ".", "1e", "1,5", "٣", "0xg", "_1"} {
		_, err := Parse(s)
		assert.ErrorIs(t, err, ErrSyntax, s)
	}
	for _, s := range []string{"1e309", "-1e309", "2e308"} {
		_, err := Parse(s)
		assert.ErrorIs(t, err, ErrRange, s)
	}
}
