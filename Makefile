# The two commands a new machine needs: `make demo` and `make test`.
GO        ?= go
BIN       := bin
PLUGIN    := $(BIN)/openai-gpt
HOSTSIM   := $(BIN)/host-sim
GOBIN_DIR := $(shell $(GO) env GOPATH)/bin
DIR       ?= ../shared/corpus/eml
FUZZTIME  ?= 30s
PASSES    ?= 3
# make corpus's go test -timeout: the default 10 minutes would stop a sweep
# of a few thousand emails part-way (two analyses an email, about 20 ms
# each against the fake: 7,900 emails take about 5 minutes).
CORPUS_TIMEOUT ?= 60m

.PHONY: all build test race demo bench bench-parse lint vuln fuzz corpus proto clean

all: build

## build: the plugin and the host simulator, side by side in bin/
# No -trimpath (or any flag that changes how packages compile): `go test`
# and the tests that build the plugin themselves (internal/plugintest,
# host-sim's benchmark) compile with the defaults, and the same flags let
# them reuse this build's cache instead of compiling every dependency
# (SQLite above all) a second time. -ldflags only touches the link step.
build:
	$(GO) build -ldflags=-s -o $(PLUGIN) ./plugin
	$(GO) build -ldflags=-s -o $(HOSTSIM) ./host-sim

## test: every test (tests build the plugin binary themselves)
test:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

## race: the tests under the race detector (needs cgo and a C compiler)
race:
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 20m ./...

## demo: the offline tour (fake OpenAI in-process, fresh state)
demo: build
	$(HOSTSIM) --plugin $(PLUGIN) demo

## bench: figures, not asserts (cold/warm calls, email parsing, fetch throughput)
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 ./internal/e2e/ ./host-sim/
	$(GO) test -run '^$$' -bench . -benchmem ./internal/email/ ./internal/events/

## bench-parse: the .eml parse + forensics path over every .eml of DIR, after
## Python's stdlib parser on the same files (figures, not asserts; each email
## counts its fastest of PASSES parses); the last line is the plugin's
## "parse: ..." summary
bench-parse:
	@if command -v python3 >/dev/null 2>&1; then python3 scripts/bench_parse.py --passes $(PASSES) $(DIR); \
	else echo "python: python3 not found, so the stdlib baseline was not measured"; fi
	@$(GO) run ./internal/email/benchparse -passes $(PASSES) -dir $(DIR)

## fuzz: run each fuzz target for FUZZTIME
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/email/
	$(GO) test -run '^$$' -fuzz '^FuzzParseCommandLine$$' -fuzztime $(FUZZTIME) ./internal/host/cmdline/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeBatch$$' -fuzztime $(FUZZTIME) ./internal/protocol/
	$(GO) test -run '^$$' -fuzz '^FuzzEnrich$$' -fuzztime $(FUZZTIME) ./internal/events/
	$(GO) test -run '^$$' -fuzz '^FuzzRecordScanner$$' -fuzztime $(FUZZTIME) ./internal/events/
	$(GO) test -run '^$$' -fuzz '^FuzzParseStartTime$$' -fuzztime $(FUZZTIME) ./internal/events/
	$(GO) test -run '^$$' -fuzz '^FuzzEscape$$' -fuzztime $(FUZZTIME) ./internal/warroom/
	$(GO) test -run '^$$' -fuzz '^FuzzModelText$$' -fuzztime $(FUZZTIME) ./internal/warroom/

## corpus: every .eml in DIR through the analysis path against the fake server
corpus: build
	CORPUS_DIR=$(abspath $(DIR)) $(GO) test -count=1 -timeout $(CORPUS_TIMEOUT) -run TestCorpusSweep -v ./internal/e2e/

## lint: gofmt, go vet and staticcheck (fetched from the module proxy)
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.pb\.go$$'))" || (gofmt -l . && exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## vuln: govulncheck (needs vuln.go.dev, which offline machines do not reach)
vuln:
	$(GO) run golang.org/x/vuln/cmd/govulncheck@v1.9.0 ./...

## proto: regenerate internal/pluginrpc/pluginpb from the plugin.proto beside
## it (protoc from Debian's protobuf-compiler)
PROTO_DIR := internal/pluginrpc/pluginpb
proto:
	@command -v protoc >/dev/null || (echo "protoc not found: apt-get install -y protobuf-compiler" && exit 1)
	GOFLAGS= $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
	GOFLAGS= $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.0
	PATH="$(GOBIN_DIR):$$PATH" protoc -I $(PROTO_DIR) \
		--go_out=$(PROTO_DIR) --go_opt=paths=source_relative \
		--go-grpc_out=$(PROTO_DIR) --go-grpc_opt=paths=source_relative \
		$(PROTO_DIR)/plugin.proto

clean:
	rm -rf $(BIN) .host-sim
