package sandbox

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// TestResetSaysWhatHappened: a failed reset says what really happened —
// moto exited, nothing listens there, or moto is alive but slow — instead
// of "(is moto still running?)", which sent readers of a busy machine's
// test log looking for a crash that never happened.
func TestResetSaysWhatHappened(t *testing.T) {
	t.Run("exited", func(t *testing.T) {
		s := startMoto(t, Options{})
		s.Stop()
		err := s.Reset(context.Background())
		if err == nil || !strings.Contains(err.Error(), "moto exited") || strings.Contains(err.Error(), "still running?") {
			t.Errorf("Reset after Stop: %v; want it to say moto exited", err)
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		l := listen(t)
		addr := l.Addr().String()
		l.Close()
		err := ResetAt(context.Background(), "http://"+addr)
		if err == nil || !strings.Contains(err.Error(), "nothing is listening") || strings.Contains(err.Error(), "still running?") {
			t.Errorf("ResetAt a closed port: %v; want it to say nothing is listening", err)
		}
	})
	t.Run("slow", func(t *testing.T) {
		l := listen(t) // accepts (the kernel does) and never answers
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close()
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		err := ResetAt(ctx, "http://"+l.Addr().(*net.TCPAddr).String())
		if err == nil || !strings.Contains(err.Error(), "did not answer within") || strings.Contains(err.Error(), "still running?") {
			t.Errorf("ResetAt a stalled server: %v; want it to say it did not answer in time", err)
		}
	})
}

// TestSlowStartSaysSo: a start that runs out of time while moto is alive
// says moto is running but slow, not that it failed.
func TestSlowStartSaysSo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond) // moto imports for longer than this
	defer cancel()
	s, err := Start(ctx, Options{})
	requireInstalled(t, err)
	if err == nil {
		s.Stop()
		t.Skip("moto answered within 50 ms: nothing slow to report on this machine")
	}
	if !strings.Contains(err.Error(), "is running") || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("Start: %v; want it to say moto is running but did not answer", err)
	}
}
