package host

import (
	"fmt"
	"sync"
)

// liveCalls admits a batch push only while the plugin call it belongs to
// (a fetch cycle, or a command such as openai-get-events pushing on
// demand) is live, and lets the call wait for the pushes it admitted
// before it ends (a fetch: before it lets go of the instance's fetch lock).
// Without it a push still on its way when the host's timeout ended a fetch
// (the host gave up, the plugin had sent it) could commit after the next
// fetch had taken the lock and read the cursor: events stored twice and an
// older cursor written over a newer one.
type liveCalls struct {
	mu   sync.Mutex
	live map[string]*sync.WaitGroup // per live call, its pushes in flight
}

// open starts admitting pushes for callID.
func (c *liveCalls) open(callID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.live == nil {
		c.live = map[string]*sync.WaitGroup{}
	}
	c.live[callID] = &sync.WaitGroup{}
}

// close stops admitting pushes for callID and waits for those it admitted.
// Calls run side by side (parallel commands, a fetch), so each has its own
// count: no push is added to a count once its call waits on it.
func (c *liveCalls) close(callID string) {
	c.mu.Lock()
	pushes := c.live[callID]
	delete(c.live, callID)
	c.mu.Unlock()
	if pushes != nil {
		pushes.Wait()
	}
}

// admit lets one push for callID through, or says why not; done ends it.
func (c *liveCalls) admit(callID string) (done func(), err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pushes, ok := c.live[callID]
	if !ok {
		return nil, fmt.Errorf("plugin call %q has ended (or never began): its batch is refused so that it cannot land after the host gave the call up (a fetch's next cycle collects these events again)", callID)
	}
	pushes.Add(1)
	return pushes.Done, nil
}
