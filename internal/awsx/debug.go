package awsx

import (
	"io"
	"sync"

	"github.com/aws/smithy-go/logging"
)

var (
	debugMu  sync.Mutex
	debugOut io.Writer
)

// SetDebug sends the SDK's own log lines (warnings, retries) to w, or
// silences them when w is nil (the default). vpclab --debug sets it.
func SetDebug(w io.Writer) {
	debugMu.Lock()
	defer debugMu.Unlock()
	debugOut = w
}

func sdkLogger() logging.Logger {
	debugMu.Lock()
	defer debugMu.Unlock()
	if debugOut == nil {
		return logging.Nop{}
	}
	return logging.NewStandardLogger(debugOut)
}
