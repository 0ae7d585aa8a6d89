package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestStartPortAnsweredByAnother: another program that answers HTTP on the
// port (another sandbox, a dev server) must not pass for moto: Start fails
// with errPortInUse instead of reporting a sandbox that is not ours.
func TestStartPortAnsweredByAnother(t *testing.T) {
	l := listen(t)
	other := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("not moto")) })}
	go other.Serve(l)
	t.Cleanup(func() { other.Close() })
	port := l.Addr().(*net.TCPAddr).Port

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Start(ctx, Options{Port: port})
	requireInstalled(t, err)
	if err == nil {
		s.Stop()
		t.Fatalf("Start on port %d, answered by another program, succeeded", port)
	}
	if !errors.Is(err, errPortInUse) {
		t.Errorf("Start: %v, want errPortInUse", err)
	}
}
