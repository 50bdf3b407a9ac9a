package main

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// referenceImports are the modules the reference Python integration
// (OpenAiChatGPTV3.py) imports at its top, with those its
// CommonServerPython imports at its own top: what a Python integration
// pays before it runs a line of its own.
var referenceImports = []string{
	// OpenAiChatGPTV3.py
	"json", "demistomock", "parse_emails", "urllib3", "CommonServerPython", "CommonServerUserPython",
	"concurrent.futures", "dataclasses", "datetime", "typing", "collections.abc",
	// CommonServerPython.py
	"base64", "binascii", "gc", "logging", "os", "re", "socket", "sys", "time", "traceback", "types",
	"urllib", "gzip", "ssl", "random", "xml.etree.cElementTree", "collections", "abc",
	"distutils.version", "threading", "functools", "inspect", "warnings",
	"requests", "requests.adapters", "urllib3.util", "dateparser",
}

// coldRuns is the sample size of each side.
const coldRuns = 20

// BenchmarkColdRunVsPython times `host-sim run '!gpt-list-models'` from
// cold (a new host-sim process, which starts the plugin, against the fake
// server) side by side with Python merely importing what the reference
// integration imports (the modules this python3 has; the others are
// named), turn about, and reports both medians and their ratio.
func BenchmarkColdRunVsPython(b *testing.B) {
	bin, err := hostSimBinary()
	if err != nil {
		b.Fatal(err)
	}
	srv := fakeopenai.New(fakeopenai.Config{})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	dir := b.TempDir()
	hostSim := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--state", dir, "--plugin", pluginPath}, args...)...)
		cmd.Env = []string{"HOME=" + dir}
		return cmd
	}
	if out, err := hostSim(append([]string{"instance", "set", "model-select=gpt-4o-mini"}, fakeInstance(url, srv.Config())...)...).CombinedOutput(); err != nil {
		b.Fatalf("instance set: %v\n%s", err, out)
	}
	python := pythonImports(b)
	for b.Loop() {
		var hs, py []time.Duration
		for range coldRuns {
			hs = append(hs, timed(b, hostSim("run", "!gpt-list-models")))
			if python != nil {
				py = append(py, timed(b, exec.Command(python[0], python[1:]...)))
			}
		}
		b.ReportMetric(ms(median(hs)), "host-sim-run-median-ms")
		if python == nil {
			continue
		}
		b.ReportMetric(ms(median(py)), "python-import-median-ms")
		b.ReportMetric(float64(median(py))/float64(median(hs)), "python/host-sim")
		b.Logf("cold host-sim run median %.1f ms, Python importing the reference's modules median %.1f ms: %.1fx (%d runs each, alternating)",
			ms(median(hs)), ms(median(py)), float64(median(py))/float64(median(hs)), coldRuns)
	}
}

// pythonImports is the command that imports the reference's modules this
// python3 has, run by the interpreter itself (pyenv's python3 is a shell
// script that would add its own start-up); nil without python3.
func pythonImports(b *testing.B) []string {
	if _, err := exec.LookPath("python3"); err != nil {
		b.Log("python3 not found: no Python figure")
		return nil
	}
	probe := `import importlib.util, sys, warnings
warnings.simplefilter("ignore")
print(sys.executable)
for m in sys.argv[1:]:
    try:
        ok = importlib.util.find_spec(m) is not None
    except Exception:
        ok = False
    print(("have " if ok else "missing ") + m)`
	out, err := exec.Command("python3", append([]string{"-c", probe}, referenceImports...)...).Output()
	if err != nil {
		b.Logf("python3 failed: %v: no Python figure", err)
		return nil
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var have, missing []string
	for _, l := range lines[1:] {
		if m, ok := strings.CutPrefix(l, "have "); ok {
			have = append(have, m)
		} else {
			missing = append(missing, strings.TrimPrefix(l, "missing "))
		}
	}
	b.Logf("Python %s imports %d of the reference's %d modules; missing here: %s", lines[0], len(have), len(referenceImports), strings.Join(missing, ", "))
	return []string{lines[0], "-W", "ignore", "-c", "import " + strings.Join(have, ", ")}
}

func timed(b *testing.B, cmd *exec.Cmd) time.Duration {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		b.Fatalf("%v: %v\n%s", cmd.Args, err, out.String())
	}
	return time.Since(start)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
