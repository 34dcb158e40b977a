package loyaltytest

import (
	"net/http"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/yotpofake"
)

// platforms holds the fakes mounted by platform name beside the Qualifio and
// Monterosa ones.
type platforms struct {
	yotpo *yotpofake.Fake
	// TODO(F2): mount influenceiofake once it builds.
}

func (s *Server) mountPlatforms() {
	s.yotpo = yotpofake.New(s.env, yotpofake.Config{GUID: s.cfg.yotpoGUID, APIKey: s.cfg.yotpoKey})
}

func (p *platforms) handler(platform string) http.Handler {
	if platform == Yotpo {
		return p.yotpo
	}
	return nil
}
