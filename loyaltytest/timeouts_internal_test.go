package loyaltytest

import "testing"

func TestServerBoundsEveryPhase(t *testing.T) {
	s := NewServer()
	defer s.Close()
	c := s.ts.Config
	if c.ReadHeaderTimeout != ServerReadHeaderTimeout || c.ReadTimeout != ServerReadTimeout ||
		c.WriteTimeout != ServerWriteTimeout || c.IdleTimeout != ServerIdleTimeout {
		t.Fatalf("server timeouts %v %v %v %v", c.ReadHeaderTimeout, c.ReadTimeout, c.WriteTimeout, c.IdleTimeout)
	}
}
