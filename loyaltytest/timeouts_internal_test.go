package loyaltytest

import "testing"

func TestServerBoundsEveryPhase(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := s.ts.Config
	if c.ReadHeaderTimeout != serverReadHeaderTimeout || c.ReadTimeout != serverReadTimeout ||
		c.WriteTimeout != serverWriteTimeout || c.IdleTimeout != serverIdleTimeout {
		t.Fatalf("server timeouts %v %v %v %v", c.ReadHeaderTimeout, c.ReadTimeout, c.WriteTimeout, c.IdleTimeout)
	}
}
