package mutate_test

import (
	"testing"

	"github.com/vpclab/vpclab/internal/sandboxtest"
)

func TestMain(m *testing.M) { sandboxtest.Main(m) }
