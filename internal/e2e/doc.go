// Package e2e holds the end-to-end tests and benchmarks of the plugin
// boundary: they build the real plugin binary, launch it as a host does,
// and drive it against the fake OpenAI server on loopback.
package e2e
