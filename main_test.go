package loyalty_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if a test leaves a goroutine behind: a
// retry wait, a token fetch, a webhook worker or a connection that never
// ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
