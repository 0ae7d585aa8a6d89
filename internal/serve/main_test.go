package serve_test

import (
	"testing"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

// The browser test checks steps against the package's moto sandbox; the
// other tests need none and run without moto.
func TestMain(m *testing.M) { sandboxtest.Main(m) }
