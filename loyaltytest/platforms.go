package loyaltytest

import (
	"net/http"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/influenceiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/yotpofake"
)

// platforms holds the fakes mounted by platform name beside the Qualifio and
// Monterosa ones.
type platforms struct {
	yotpo     *yotpofake.Fake
	influence *influenceiofake.Fake
}

func (s *Server) mountPlatforms() {
	s.yotpo = yotpofake.New(s.env, yotpofake.Config{GUID: s.cfg.yotpoGUID, APIKey: s.cfg.yotpoKey})
	s.influence = influenceiofake.New(s.env, influenceiofake.Config{
		APIKey: s.cfg.influenceKey, EarnRate: s.cfg.influenceEarnRate, SigningSecret: s.cfg.influenceSecret,
	})
}

func (p *platforms) handler(platform string) http.Handler {
	switch platform {
	case Yotpo:
		return p.yotpo
	case InfluenceIO:
		return p.influence
	}
	return nil
}
