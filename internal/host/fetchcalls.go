package host

import (
	"fmt"
	"sync"
)

// fetchCalls admits a batch push only while the fetch call it belongs to
// is live, and lets the fetch wait for the pushes it admitted before it
// lets go of the instance's fetch lock. Without it a push still on its way
// when the call timed out (the host gave up, the plugin had sent it) could
// commit after a second fetch had taken the lock and read the cursor:
// events stored twice and an older cursor written over a newer one.
type fetchCalls struct {
	mu       sync.Mutex
	live     map[string]bool
	inFlight sync.WaitGroup
}

// open starts admitting pushes for callID.
func (c *fetchCalls) open(callID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == nil {
		c.live = map[string]bool{}
	}
	c.live[callID] = true
}

// close stops admitting pushes for callID and waits for those admitted.
func (c *fetchCalls) close(callID string) {
	c.mu.Lock()
	delete(c.live, callID)
	c.mu.Unlock()
	c.inFlight.Wait()
}

// admit lets one push for callID through, or says why not; done ends it.
func (c *fetchCalls) admit(callID string) (done func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live[callID] {
		return nil, fmt.Errorf("fetch call %q has ended (or never began): its batch is refused so that it cannot land after the next fetch took over; the next fetch collects these events again", callID)
	}
	c.inFlight.Add(1)
	return c.inFlight.Done, nil
}
