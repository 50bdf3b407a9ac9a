package fakeopenai

import (
	"cmp"
	"encoding/binary"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"time"
)

// The seeded data. Nothing is kept per event but a timestamp offset: every
// other field (ids, types, actors, payloads) is derived on demand from the
// seed and the event's index, so a million events cost a few megabytes and
// the server starts in a fraction of a second.

// day is the span the seeded events cover: the day before Config.Now.
const day = 24 * 60 * 60

// mix is splitmix64's finalizer: a cheap, well-spread hash used to derive
// every field of an event from (seed, index, salt).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *generator) h(i int, salt uint64) uint64 {
	return mix(uint64(g.seed) ^ mix(uint64(i)^salt<<40))
}

// generator holds the compact tables both event families are served from.
type generator struct {
	seed      int64
	workspace string
	start     int64 // Unix seconds of Now - 24h; every event lies in (start, start+day)

	// auditAt[p] is the effective_at offset (seconds after start) of the
	// audit entry at list position p; positions are in the API's order,
	// newest first.
	auditAt []int32

	// files are the compliance log files in listing order (ascending
	// end_time, then id); fileByID finds one by id.
	files    []logFile
	fileByID map[string]int32
}

// logFile is one compliance log file: unique records first..first+n-1 of
// one event type, preceded by dup records repeated from the previous file of
// the same type (at-least-once delivery).
type logFile struct {
	id      string
	typ     uint8
	format  uint8 // fmtJSONL, fmtConcat, fmtPretty
	dup     int32
	first   int32
	n       int32
	prev    int32 // index in files of the previous file of the same type, -1 for none
	startAt int32 // record timestamps lie in [startAt, endAt) seconds after start
	endAt   int32
}

const (
	fmtJSONL  = iota // one object per line, the documented format
	fmtConcat        // objects back to back with no separator
	fmtPretty        // indented objects, one after another
)

func newGenerator(seed int64, workspace string, now time.Time, auditN, complianceN, perFile int) *generator {
	g := &generator{seed: seed, workspace: workspace, start: now.Unix() - day}
	g.seedAudit(auditN)
	g.seedCompliance(complianceN, perFile)
	return g
}

// seedAudit spreads n entries over the day in bursts: several entries often
// share one second, as they do when a script rotates keys.
func (g *generator) seedAudit(n int) {
	r := rand.New(rand.NewPCG(uint64(g.seed), 0xa0d17))
	g.auditAt = make([]int32, 0, n)
	for len(g.auditAt) < n {
		at := int32(1 + r.IntN(day-2))
		burst := 1
		if r.IntN(4) == 0 {
			burst = 2 + r.IntN(6)
		}
		for ; burst > 0 && len(g.auditAt) < n; burst-- {
			g.auditAt = append(g.auditAt, at)
		}
	}
	slices.SortFunc(g.auditAt, func(a, b int32) int { return cmp.Compare(b, a) })
}

// auditID is the id of the entry at list position p. The key k = n-1-p is
// written first so that, among entries sharing a second, ids descend along
// the list (the fake's tie-break) and the position can be read back.
func (g *generator) auditID(p int) string {
	k := len(g.auditAt) - 1 - p
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], uint32(g.h(k, 0x1d)))
	return "audit_log-" + hex7(k) + hex.EncodeToString(b[:])
}

func hex7(k int) string {
	const digits = "0123456789abcdef"
	var b [7]byte
	for i := 6; i >= 0; i-- {
		b[i] = digits[k&0xf]
		k >>= 4
	}
	return string(b[:])
}

// auditPos reads the position back from an id, or -1 if it is not one of ours.
func (g *generator) auditPos(id string) int {
	if len(id) != len("audit_log-")+15 || id[:10] != "audit_log-" {
		return -1
	}
	k := 0
	for _, c := range id[10:17] {
		switch {
		case c >= '0' && c <= '9':
			k = k<<4 | int(c-'0')
		case c >= 'a' && c <= 'f':
			k = k<<4 | int(c-'a'+10)
		default:
			return -1
		}
	}
	p := len(g.auditAt) - 1 - k
	if p < 0 || p >= len(g.auditAt) || g.auditID(p) != id {
		return -1
	}
	return p
}

// seedCompliance splits n unique records over every event type and many
// files. File end times are rounded to five minutes, so files of different
// types (and sometimes of the same type) share one end_time.
func (g *generator) seedCompliance(n, perFile int) {
	r := rand.New(rand.NewPCG(uint64(g.seed), 0xc0111))
	g.fileByID = map[string]int32{}
	if n == 0 {
		return
	}
	if perFile <= 0 {
		perFile = 60
	}
	types := len(complianceTypes)
	next := int32(0)
	for t := range types {
		count := n / types
		if t < n%types {
			count++
		}
		if count == 0 {
			continue
		}
		// Files per type: about perFile records each, at least 3 files when
		// there are records enough, so small seeds still exercise paging
		// and repeats; at most one per five-minute slot, as the platform
		// writes one file per type and window: a larger backlog makes
		// larger files, not more files per window.
		nf := max(1, min(count, max(count/perFile, 3), day/300-2))
		prev := int32(-1)
		left := count
		for j := range nf {
			size := left / (nf - j)
			if j < nf-1 && size > 2 {
				size += r.IntN(size/2+1) - size/4 // uneven files
			}
			size = max(1, min(size, left-(nf-1-j)))
			if size > left {
				size = left
			}
			// Five-minute slots over the day, one per file, in order.
			slot := int32((int64(j+1)*int64(day/300-2))/int64(nf)) + 1
			if r.IntN(8) == 0 && j > 0 {
				slot = g.files[prev].endAt / 300 // same end_time as the previous file of this type
			}
			f := logFile{
				typ: uint8(t), first: next, n: int32(size), prev: prev,
				endAt: slot * 300, format: fmtJSONL,
			}
			f.startAt = f.endAt - 300
			if prev >= 0 && r.IntN(3) == 0 {
				f.dup = int32(1 + r.IntN(3))
				f.dup = min(f.dup, g.files[prev].n)
			}
			switch r.IntN(10) {
			case 0:
				f.format = fmtConcat
			case 1:
				f.format = fmtPretty
			}
			var idb [8]byte
			binary.BigEndian.PutUint64(idb[:], g.h(len(g.files), 0xf11e))
			f.id = "clf_" + hex.EncodeToString(idb[:])
			g.files = append(g.files, f)
			prev = int32(len(g.files) - 1)
			next += int32(size)
			left -= size
		}
	}
	// Listing order: ascending end_time, then id. prev indexes must follow
	// the permutation.
	order := make([]int32, len(g.files))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		if c := cmp.Compare(g.files[a].endAt, g.files[b].endAt); c != 0 {
			return c
		}
		return cmp.Compare(g.files[a].id, g.files[b].id)
	})
	newPos := make([]int32, len(order))
	for pos, old := range order {
		newPos[old] = int32(pos)
	}
	sorted := make([]logFile, len(order))
	for pos, old := range order {
		f := g.files[old]
		if f.prev >= 0 {
			f.prev = newPos[f.prev]
		}
		sorted[pos] = f
		g.fileByID[f.id] = int32(pos)
	}
	g.files = sorted
}

// eventUUID is the event_id of unique compliance record i.
func (g *generator) eventUUID(i int32) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], g.h(int(i), 0xe1))
	binary.BigEndian.PutUint64(b[8:], g.h(int(i), 0xe2))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

func (g *generator) at(offset int32) time.Time {
	return time.Unix(g.start+int64(offset), 0).UTC()
}

// auditIDs lists every seeded audit id.
func (g *generator) auditIDs() []string {
	out := make([]string, len(g.auditAt))
	for p := range out {
		out[p] = g.auditID(p)
	}
	return out
}

// complianceIDs lists every seeded compliance event_id (each once).
func (g *generator) complianceIDs() []string {
	var out []string
	for _, f := range g.files {
		for i := f.first; i < f.first+f.n; i++ {
			out = append(out, g.eventUUID(i))
		}
	}
	return out
}
