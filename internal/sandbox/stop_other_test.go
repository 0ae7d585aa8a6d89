//go:build !unix

package sandbox

import "testing"

func assertGroupGone(*testing.T, int) {}
