package schemas

import "io/fs"

// The schemas that only tests validate alone: the plugin and the host
// check an entry inside a result (ValidateResult) and a batch with the
// host's own fast check, which a host test holds against batch.json.

// ValidateEntry checks a war-room entry.
func ValidateEntry(v any) error { return validate(Entry, "entry", v) }

// ValidateBatch checks a batch of events pushed to a dataset.
func ValidateBatch(v any) error { return validate(Batch, "batch", v) }

// Names lists the schemas, sorted.
func Names() []string {
	names, _ := fs.Glob(files, "*.json")
	return names
}
