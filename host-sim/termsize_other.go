//go:build !unix

package main

import "os"

// termWidth is 0 where the terminal's size is not asked: $COLUMNS or the
// default stands.
func termWidth(*os.File) int { return 0 }
