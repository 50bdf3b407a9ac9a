package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soarkit/openai-gpt/internal/fakeopenai"
)

// TestFakeOpenAILogRequests: `fake-openai --log-requests FILE` writes one
// JSON line per request, with the path, status and latency, and no key.
func TestFakeOpenAILogRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds host-sim and runs it as a process")
	}
	bin, err := hostSimBinary()
	if err != nil {
		t.Fatal(err)
	}
	logFile := filepath.Join(t.TempDir(), "requests.jsonl")
	cmd := exec.Command(bin, "fake-openai", "--addr", "127.0.0.1:0", "--audit-events", "0", "--compliance-events", "0", "--log-requests", logFile)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() //nolint:errcheck // already gone when the test passes
	sc := bufio.NewScanner(stdout)
	var url string
	for sc.Scan() && url == "" {
		if _, after, ok := strings.Cut(sc.Text(), "APIs at "); ok {
			url = after
		}
	}
	if url == "" {
		t.Fatal("fake-openai printed no URL")
	}
	go func() { // keep the pipe drained
		for sc.Scan() {
		}
	}()
	req, _ := http.NewRequest(http.MethodGet, url+"/v1/models", nil)
	req.Header.Set("Authorization", "Bearer "+fakeopenai.DefaultAPIKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	// Read to the end: the answer ends after the request is logged.
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("fake-openai after Ctrl-C: %v", err)
	}
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), fakeopenai.DefaultAPIKey) {
		t.Fatalf("the key is in the request log: %s", data)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one line, got %q", data)
	}
	var l struct {
		Method, Path string
		Status       int
		LatencyMS    *float64 `json:"latency_ms"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &l); err != nil || l.Method != "GET" || l.Path != "/v1/models" || l.Status != 200 || l.LatencyMS == nil {
		t.Fatalf("line %s: %+v, %v", lines[0], l, err)
	}
}
