package serve

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"
)

// TestResetWaitsForReads: a sandbox reset takes every read slot, so it
// starts only when the reads in flight have ended, and no read starts
// until it is done. (moto answers a read that overlaps its reset with an
// HTTP 500.) The ordering is what is tested; no AWS is involved.
func TestResetWaitsForReads(t *testing.T) {
	s := &Server{slots: make(chan struct{}, 3), exclusive: make(chan struct{}, 1)}
	req := httptest.NewRequest("POST", "/api/check", nil)
	_, done, ok := s.takeSlot(req)
	if !ok {
		t.Fatal("no slot for a first read")
	}
	took := make(chan func())
	go func() {
		release, err := s.takeAllSlots(context.Background())
		if err != nil {
			t.Error(err)
		}
		took <- release
	}()
	select {
	case <-took:
		t.Fatal("the reset began while a read was in flight")
	case <-time.After(100 * time.Millisecond):
	}
	done()
	release := <-took // once the read has ended, the reset goes ahead

	// While the reset runs, a read waits, and gives up when its request
	// ends.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, ok := s.takeSlot(req.WithContext(ctx)); ok {
		t.Error("a read started during the reset")
	}
	release()
	if _, done, ok := s.takeSlot(req); !ok {
		t.Error("no read after the reset")
	} else {
		done()
	}

	// A reset that cannot get every slot in time gives back those it took.
	_, done, _ = s.takeSlot(req)
	ctx, cancel = context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.takeAllSlots(ctx); err == nil {
		t.Error("a reset went ahead past a read in flight")
	}
	done()
	if n := len(s.slots); n != 0 {
		t.Errorf("%d slots still taken", n)
	}

	// Two resets at once, behind reads in flight: both go through, one
	// after the other. Taking the slots together they would deadlock:
	// reset A waits first, B second; the first read's slot goes to A,
	// whose next wait queues behind B, so the second read's slot goes to
	// B, and each then waits for the other's.
	two := &Server{slots: make(chan struct{}, 2), exclusive: make(chan struct{}, 1)}
	_, done1, _ := two.takeSlot(req)
	_, done2, _ := two.takeSlot(req)
	errs := make(chan error, 2)
	reset := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		release, err := two.takeAllSlots(ctx)
		if err == nil {
			release()
		}
		errs <- err
	}
	go reset()
	time.Sleep(50 * time.Millisecond) // A waits first
	go reset()
	time.Sleep(50 * time.Millisecond)
	done1()
	time.Sleep(50 * time.Millisecond)
	done2()
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("one of two resets at once: %v", err)
		}
	}
	if n := len(two.slots) + len(two.exclusive); n != 0 {
		t.Errorf("%d slots still taken after both resets", n)
	}
}
