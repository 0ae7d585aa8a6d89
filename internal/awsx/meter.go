package awsx

import "sync"

// Meter counts the AWS API calls a config makes, per IAM action. Each
// attempt that is sent counts, so a retried call counts twice; a call the
// guard refuses, or one that failed before sending for want of
// credentials, does not. It is safe for concurrent use. The zero Meter is
// ready to use.
type Meter struct {
	mu    sync.Mutex
	calls map[string]int

	idOnce sync.Once
	id     string // middleware ID
}

func (m *Meter) add(action string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.calls == nil {
		m.calls = map[string]int{}
	}
	m.calls[action]++
}

// Calls returns a copy of the counts by IAM action, e.g.
// {"ec2:DescribeVpcs": 1}.
func (m *Meter) Calls() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int, len(m.calls))
	for k, v := range m.calls {
		out[k] = v
	}
	return out
}

// Total is the number of calls sent.
func (m *Meter) Total() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, v := range m.calls {
		n += v
	}
	return n
}
