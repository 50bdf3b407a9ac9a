package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestFetchInterrupt: Ctrl-C during `fetch --every` ends host-sim cleanly
// (exit 0), keeping every batch stored so far with its cursor; the next run
// resumes there, and the datasets end with every seeded event exactly once.
func TestFetchInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds host-sim and runs it as a process")
	}
	bin, err := hostSimBinary()
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeopenai.New(fakeopenai.Config{AuditEvents: 2000, ComplianceEvents: 2000, Seed: 3})
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// Slow downloads keep the cycle busy long enough to be interrupted
	// in the middle of it.
	for range 16 {
		srv.Script("compliance.file", fakeopenai.Fault{Delay: 150 * time.Millisecond})
	}
	dir := t.TempDir()
	hostSim := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--state", dir, "--plugin", pluginPath}, args...)...)
		cmd.Env = []string{"HOME=" + dir}
		return cmd
	}
	if out, err := hostSim(append([]string{"instance", "set", "compliance_max_fetch=5000"}, fakeInstance(url, srv.Config())...)...).CombinedOutput(); err != nil {
		t.Fatalf("instance set: %v\n%s", err, out)
	}

	cmd := hostSim("fetch", "--every", "1h")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // into the slow downloads
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("interrupted fetch: %v\n%s", err, out.String())
	}
	interrupted := countStored(t, dir)
	t.Logf("stored before the interrupt: %d\n%s", interrupted, out.String())
	if !strings.Contains(out.String(), "interrupted") && interrupted == 4000 {
		t.Log("the cycle finished before the interrupt arrived")
	}

	if out, err := hostSim("fetch", "--drain").CombinedOutput(); err != nil {
		t.Fatalf("drain: %v\n%s", err, out)
	}
	if got := countStored(t, dir); got != 4000 {
		t.Errorf("after the interrupted run and a drain: %d unique events stored, want 4000", got)
	}
}
