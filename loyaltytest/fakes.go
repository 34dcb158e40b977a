package loyaltytest

import (
	"github.com/loyalty-go/loyalty/loyaltytest/internal/influenceiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/monterosafake"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/qualifiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/yotpofake"
)

// Each platform's fake, for seeding state, registering webhooks and
// inspecting what HTTP does not show. Their methods are documented on the
// aliased types.
type (
	QualifioFake    = qualifiofake.Fake
	YotpoFake       = yotpofake.Fake
	InfluenceIOFake = influenceiofake.Fake
	MonterosaFake   = monterosafake.Fake
)

// Qualifio seeding and webhook types.
type (
	QualifioWebhook     = qualifiofake.Webhook
	QualifioEarningRule = qualifiofake.EarningRule
	QualifioMappedEvent = qualifiofake.MappedEvent
	QualifioReward      = qualifiofake.Reward
	QualifioLevel       = qualifiofake.Level
)

// Yotpo seeding types.
type (
	YotpoCampaign         = yotpofake.Campaign
	YotpoRedemptionOption = yotpofake.RedemptionOption
	YotpoVIPTier          = yotpofake.VIPTier
)

// Influence.io seeding types.
type (
	InfluenceIOEarnRule   = influenceiofake.EarnRule
	InfluenceIOReferral   = influenceiofake.Referral
	InfluenceIOTier       = influenceiofake.Tier
	InfluenceIOTierReward = influenceiofake.TierReward
)

// Monterosa seeding types: the space configuration and its parts, and
// coupons.
type (
	MonterosaSpace        = monterosafake.Config
	MonterosaMetric       = monterosafake.Metric
	MonterosaInventorySet = monterosafake.InventorySet
	MonterosaItem         = monterosafake.Item
	MonterosaChallenge    = monterosafake.Challenge
	MonterosaMission      = monterosafake.Mission
	MonterosaReward       = monterosafake.Reward
	MonterosaNotification = monterosafake.Notification
	MonterosaTime         = monterosafake.Time
	MonterosaCoupon       = monterosafake.Coupon
)

// Qualifio returns the Qualifio fake: SetWebhook, SetEarningRule,
// AddMappedEvent and MappedEvents, Points and ProgramID, and the back-office
// stand-ins that cause the webhooks no API causes (CorrectPoints, Burn,
// GiveGift, VisitPortal, SetLevel).
func (s *Server) Qualifio() *QualifioFake { return s.qualifio }

// Yotpo returns the Yotpo fake: SetWebhook, AddCampaign,
// AddRedemptionOption and AddVIPTier.
func (s *Server) Yotpo() *YotpoFake { return s.yotpo }

// InfluenceIO returns the Influence.io fake: RegisterWebhook, AddEarnRule,
// AddTier, Redeem and StartReferral.
func (s *Server) InfluenceIO() *InfluenceIOFake { return s.influence }

// Monterosa returns the Monterosa fake: SetConfig and AddCoupon.
func (s *Server) Monterosa() *MonterosaFake { return s.monterosa }
