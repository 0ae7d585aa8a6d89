package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vpclab/vpclab/i18n"
	"github.com/vpclab/vpclab/internal/serve"
)

// TestServeProblemTimeLimit: a check that hit its time limit says so (504,
// "timeout"); only a cancelled one says the page was closed.
func TestServeProblemTimeLimit(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	closed, cancel2 := context.WithCancel(context.Background())
	cancel2()
	for _, tc := range []struct {
		ctx    context.Context
		status int
		code   string
		says   string
	}{
		{expired, http.StatusGatewayTimeout, "timeout", "time limit"},
		{closed, http.StatusServiceUnavailable, "cancelled", "page was closed"},
	} {
		var errb bytes.Buffer
		env := &Env{Stderr: &errb, Getenv: func(string) string { return "" }, Ctx: context.Background(), Loc: i18n.New(i18n.EN)}
		req := &Env{Stderr: &errb, Getenv: env.Getenv, Ctx: tc.ctx, Loc: i18n.New(i18n.EN)}
		err := serveProblem(env, req, tc.ctx.Err(), nil, "")
		var se *serve.Error
		if !errors.As(err, &se) || se.Status != tc.status || se.Code != tc.code || !strings.Contains(se.Message, tc.says) {
			t.Errorf("%v: %+v; want %d %s saying %q", tc.ctx.Err(), se, tc.status, tc.code, tc.says)
		}
	}
}
