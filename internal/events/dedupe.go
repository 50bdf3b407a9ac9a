package events

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
)

// seenCapacity bounds the dedupe memory carried in the compliance cursor,
// per event type. Log files are per event type, and the platform repeats
// a record in the next file of the same type, near the boundary where it
// was first delivered; files of the other types may come in between, in
// any number. So each type remembers its own last event_ids: a global
// window would be flooded by the other types (a 2048-id global window let
// repeats through at 50,000 records). Files sharing one end_time come in
// no defined order, so a repeat may be a whole file away from its first
// delivery: 1024 per type covers two files of 500 records. The cursor is
// then up to 100 KB in base64 for the nine types, which is why a push
// carries complianceBatch records. Larger files need more: a type's ring
// grows to twice the largest file of that type it has read (reserve), up
// to maxSeenCapacity. A repeat arriving more records of its own type
// later than its ring holds would be pushed twice.
const seenCapacity = 1024

// maxSeenCapacity bounds a ring's growth: two files of 8,192 records,
// about 1.5 MB of cursor in base64 for the nine types at worst.
const maxSeenCapacity = 16384

// seenRing remembers the hashes of the most recent event_ids. 64-bit FNV-1a
// hashes stand for the ids: a false "seen" between two different ids among
// a few thousand has a probability around 1e-13.
type seenRing struct {
	hashes []uint64 // ring buffer, oldest overwritten first
	next   int
	limit  int            // capacity: seenCapacity, or more after reserve
	set    map[uint64]int // hash -> occurrences in the ring
}

func newSeenRing(encoded string) *seenRing {
	r := &seenRing{limit: seenCapacity, set: make(map[uint64]int, seenCapacity)}
	b, err := base64.RawStdEncoding.DecodeString(encoded)
	if err != nil {
		return r // an unreadable ring only weakens dedupe; the offsets still hold
	}
	// A ring that grew in an earlier cycle keeps its size.
	r.limit = min(max(seenCapacity, len(b)/8), maxSeenCapacity)
	for i := 0; i+8 <= len(b); i += 8 {
		r.addHash(binary.LittleEndian.Uint64(b[i:]))
	}
	return r
}

// reserve lets the ring hold at least n hashes (up to maxSeenCapacity).
func (r *seenRing) reserve(n int) {
	n = min(n, maxSeenCapacity)
	if n <= r.limit {
		return
	}
	if r.next != 0 { // full and wrapped: put it oldest first, to append
		r.hashes = append(r.hashes[r.next:], r.hashes[:r.next]...)
		r.next = 0
	}
	r.limit = n
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

func (r *seenRing) has(id string) bool { return r.set[hashID(id)] > 0 }

func (r *seenRing) add(id string) { r.addHash(hashID(id)) }

func (r *seenRing) addHash(h uint64) {
	if len(r.hashes) < r.limit {
		r.hashes = append(r.hashes, h)
	} else {
		old := r.hashes[r.next]
		if r.set[old]--; r.set[old] <= 0 {
			delete(r.set, old)
		}
		r.hashes[r.next] = h
		r.next = (r.next + 1) % r.limit
	}
	r.set[h]++
}

// encode writes the hashes oldest first, so decoding restores the order.
func (r *seenRing) encode() string {
	b := make([]byte, 0, 8*len(r.hashes))
	n := len(r.hashes)
	for i := range n {
		b = binary.LittleEndian.AppendUint64(b, r.hashes[(r.next+i)%n])
	}
	return base64.RawStdEncoding.EncodeToString(b)
}

// seenByType holds one ring per event type.
type seenByType map[string]*seenRing

func newSeenByType(encoded map[string]string) seenByType {
	s := make(seenByType, len(encoded))
	for typ, ring := range encoded {
		s[typ] = newSeenRing(ring)
	}
	return s
}

func (s seenByType) ring(typ string) *seenRing {
	r := s[typ]
	if r == nil {
		r = newSeenRing("")
		s[typ] = r
	}
	return r
}

func (s seenByType) encode() map[string]string {
	if len(s) == 0 {
		return nil
	}
	out := make(map[string]string, len(s))
	for typ, r := range s {
		out[typ] = r.encode()
	}
	return out
}
