package cli

import (
	"testing"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// The package's tests share one moto sandbox (journey_sandbox_test.go).
func TestMain(m *testing.M) { sandboxtest.Main(m) }
