package events

import (
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
)

// seenCapacity bounds the dedupe memory carried in the compliance cursor.
// The platform repeats a record in a later file near the boundary where it
// was first delivered, so remembering the last few thousand event_ids
// catches the repeats while the cursor stays small: 2048 hashes of 8 bytes
// are 16 KiB, about 22 KB in base64, pushed with each batch of up to
// complianceBatch events (a few hundred bytes each). A repeat arriving more
// than seenCapacity distinct records later would be pushed twice.
const seenCapacity = 2048

// seenRing remembers the hashes of the most recent event_ids. 64-bit FNV-1a
// hashes stand for the ids: a false "seen" between two different ids among
// a few thousand has a probability around 1e-13.
type seenRing struct {
	hashes []uint64 // ring buffer, oldest overwritten first
	next   int
	set    map[uint64]int // hash -> occurrences in the ring
}

func newSeenRing(encoded string) *seenRing {
	r := &seenRing{set: make(map[uint64]int, seenCapacity)}
	b, err := base64.RawStdEncoding.DecodeString(encoded)
	if err != nil {
		return r // an unreadable ring only weakens dedupe; the offsets still hold
	}
	for i := 0; i+8 <= len(b); i += 8 {
		r.addHash(binary.LittleEndian.Uint64(b[i:]))
	}
	return r
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

func (r *seenRing) has(id string) bool { return r.set[hashID(id)] > 0 }

func (r *seenRing) add(id string) { r.addHash(hashID(id)) }

func (r *seenRing) addHash(h uint64) {
	if len(r.hashes) < seenCapacity {
		r.hashes = append(r.hashes, h)
	} else {
		old := r.hashes[r.next]
		if r.set[old]--; r.set[old] <= 0 {
			delete(r.set, old)
		}
		r.hashes[r.next] = h
		r.next = (r.next + 1) % seenCapacity
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
