package email

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindPhones(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"callback scam with typographic dashes", "You can Reach us on +1 – (888) - (596) - (1028)\n", []string{"+18885961028"}},
		{"NANP grouped", "Call (888) 596-1028 or 888.596.1028 today", []string{"+18885961028"}},
		{"NANP with leading 1", "Billing: 1-800-273-8255", []string{"+18002738255"}},
		{"NANP-shaped but no such area code", "call (123) 456-7890", nil},
		{"international", "UK desk +44 20 7946 0018, FR +33 1 42 68 53 00", []string{"+442079460018", "+33142685300"}},
		{"date", "Order Date: 2021-09-29, shipped 29/09/2021 and 29.09.2021", nil},
		{"order and invoice numbers", "Invoice No. 8885961028 order #AXRT1121DXB04 ref 123456789012", nil},
		{"IP address", "from 203.0.113.99 and 198.51.100.7", nil},
		{"amount", "Amount: $499.99 USD, 1,299.00 EUR", nil},
		{"digits glued to letters", "tracking ID A888-596-1028B", nil},
		{"invalid +number", "+1 (000) 000-0000", nil},
		{"too many digits", "+1 888 596 1028 1234 5678", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, findPhones(tc.text))
		})
	}
}

func TestDefangPhone(t *testing.T) {
	assert.Equal(t, "+1 888[-]596[-]1028", DefangPhone("+18885961028"))
	assert.Equal(t, "+44 20[-]7946[-]0018", DefangPhone("+442079460018"))
	assert.Equal(t, "not a number", DefangPhone("not a number"))
}

// TestCorpusCallbackPhishPhone: sample-1248 of the shared corpus (a fake
// Norton renewal with only a phone number to call) yields that number.
func TestCorpusCallbackPhishPhone(t *testing.T) {
	raw, err := os.ReadFile("../../../shared/corpus/eml/sample-1248.eml")
	if os.IsNotExist(err) {
		t.Skip("the shared corpus is not beside the worktree")
	}
	require.NoError(t, err)
	msg, err := Parse(raw)
	require.NoError(t, err)
	assert.Equal(t, []string{"+18885961028"}, msg.Forensics.Indicators.Phones)
}
