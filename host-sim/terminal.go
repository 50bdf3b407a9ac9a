package main

import (
	"io"
	"os"
	"strconv"

	"github.com/mattn/go-isatty"

	"github.com/soarkit/openai-gpt/internal/host/render"
)

// terminal decides whether w is a colour terminal (and not NO_COLOR) and
// how wide it is: $COLUMNS, else the terminal's own width (shells do not
// export COLUMNS), else 100.
func terminal(w io.Writer, getenv func(string) string) (color bool, width int) {
	width = 100
	f, ok := w.(*os.File)
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 20 {
		width = n
	} else if ok {
		if n := termWidth(f); n > 20 {
			width = n
		}
	}
	if !ok || getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false, width
	}
	return isatty.IsTerminal(f.Fd()), width
}

func (a *app) renderOptions() render.Options {
	return render.Options{Color: a.color, Width: a.width}
}
