// Package decimal reads numbers as people type them into a form or a
// war-room line: decimal digits, an optional fraction and exponent.
// strconv.ParseFloat also takes Go's own spellings (hex floats such as
// 0x1p1, underscores, Inf, NaN), which no one means in a temperature or a
// limit, and reports an overflow as a syntax problem's sibling: here each
// gets its own error, so the message can say which.
package decimal

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// ErrSyntax is a value that is not a number at all.
var ErrSyntax = errors.New("not a number")

// ErrNotDecimal is a number in one of Go's other spellings: a hex float
// (0x1p1) or digits separated by underscores.
var ErrNotDecimal = errors.New("not a decimal number")

// ErrRange is a decimal number beyond float64's range (about 1.8e308).
var ErrRange = errors.New("out of range")

var pattern = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// Parse reads s as a decimal number.
func Parse(s string) (float64, error) {
	if !pattern.MatchString(s) {
		if _, err := strconv.ParseFloat(s, 64); !errors.Is(err, strconv.ErrSyntax) &&
			(strings.Contains(strings.ToLower(s), "0x") || strings.Contains(s, "_")) {
			return 0, ErrNotDecimal
		}
		return 0, ErrSyntax
	}
	f, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) {
		return f, ErrRange
	}
	if err != nil {
		return 0, ErrSyntax
	}
	return f, nil
}
