package loyaltytest

import (
	"github.com/loyalty-go/loyalty/loyaltytest/influenceiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/monterosafake"
	"github.com/loyalty-go/loyalty/loyaltytest/qualifiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/yotpofake"
)

// Each platform's fake, for seeding state, registering webhooks and
// inspecting what HTTP does not show. The types and their methods are
// documented in their own packages (go doc ./loyaltytest/yotpofake and the
// like); these aliases keep the short names in this package.
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

// QualifioMappedEvent.Auth modes.
const (
	QualifioAuthBearer       = qualifiofake.AuthBearer       // "bearer": an OAuth token from the token endpoint
	QualifioAuthHeader       = qualifiofake.AuthHeader       // "header": <Name>: <Secret>
	QualifioAuthQuery        = qualifiofake.AuthQuery        // "query": ?<Name>=<Secret>
	QualifioAuthHubSignature = qualifiofake.AuthHubSignature // "hub-signature": X-Hub-Signature: sha256=<hex HMAC(Secret, body)>
)

// Errors of the Qualifio back-office methods (CorrectPoints, Burn, GiveGift,
// VisitPortal, SetLevel).
var (
	ErrQualifioNoMember          = qualifiofake.ErrNoMember
	ErrQualifioInsufficientFunds = qualifiofake.ErrInsufficientFunds
	ErrQualifioAmount            = qualifiofake.ErrAmount
)

// Yotpo seeding types.
type (
	YotpoCampaign         = yotpofake.Campaign
	YotpoRedemptionOption = yotpofake.RedemptionOption
	YotpoVIPTier          = yotpofake.VIPTier
	// YotpoReferralShare is a recorded POST /referral/share (ReferralShares).
	YotpoReferralShare = yotpofake.ReferralShare
)

// YotpoCampaign.Type values.
const (
	YotpoCampaignSpendBased       = "SpendBasedCampaign"
	YotpoCampaignTransactionBased = "TransactionBasedCampaign"
	YotpoCampaignReferral         = "ReferralCampaign"
	YotpoCampaignCustomAction     = "CustomActionCampaign"
	YotpoCampaignBirthday         = "BirthdayCampaign"
)

// Influence.io seeding types.
type (
	InfluenceIOEarnRule   = influenceiofake.EarnRule
	InfluenceIOReferral   = influenceiofake.Referral
	InfluenceIOTier       = influenceiofake.Tier
	InfluenceIOTierReward = influenceiofake.TierReward
)

// Errors of the Influence.io seeding methods (Redeem, StartReferral).
var (
	ErrInfluenceIOCustomerNotFound = influenceiofake.ErrCustomerNotFound
	ErrInfluenceIOInsufficient     = influenceiofake.ErrInsufficient
	ErrInfluenceIOCouponExists     = influenceiofake.ErrCouponExists
	ErrInfluenceIOInvalidPoints    = influenceiofake.ErrInvalidPoints
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

// Read-only copies of each platform's state, as the fakes' Customers,
// Orders, Redemptions, Rewards, Members and Profiles methods return them and
// the admin API (AdminPath) serves them.
type (
	YotpoCustomerState         = yotpofake.CustomerState
	YotpoLedgerEntry           = yotpofake.LedgerEntry
	YotpoOrderState            = yotpofake.OrderState
	YotpoRedemptionState       = yotpofake.RedemptionState
	InfluenceIOCustomerState   = influenceiofake.CustomerState
	InfluenceIOOrderState      = influenceiofake.OrderState
	InfluenceIORewardState     = influenceiofake.RewardState
	QualifioMemberState        = qualifiofake.MemberState
	MonterosaProfileState      = monterosafake.ProfileState
	MonterosaChallengeProgress = monterosafake.ChallengeProgress
)

// Qualifio returns the Qualifio fake: SetWebhook, SetEarningRule,
// AddMappedEvent and MappedEvents, Points and ProgramID, Members,
// EarningRule and MappedEventIDs, and the back-office
// stand-ins that cause the webhooks no API causes (CorrectPoints, Burn,
// GiveGift, VisitPortal, SetLevel).
func (s *Server) Qualifio() *QualifioFake {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.qualifio
}

// Yotpo returns the Yotpo fake: SetWebhook, AddCampaign,
// AddRedemptionOption and AddVIPTier, ReferralShares (the referral
// e-mails it was asked to send), and the state readers Customers, Orders,
// Redemptions, Campaigns, RedemptionOptions and VIPTiers. After Reset it
// returns the new fake.
func (s *Server) Yotpo() *YotpoFake {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.yotpo
}

// InfluenceIO returns the Influence.io fake: RegisterWebhook, AddEarnRule,
// AddTier, Redeem and StartReferral, and the state readers Customers,
// Orders, Rewards, EarnRules and Tiers.
func (s *Server) InfluenceIO() *InfluenceIOFake {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.influence
}

// Monterosa returns the Monterosa fake: SetConfig and AddCoupon, and the
// state readers Profiles, Config and Coupons.
func (s *Server) Monterosa() *MonterosaFake {
	s.state.RLock()
	defer s.state.RUnlock()
	return s.monterosa
}

// MonterosaReward.Type values.
const (
	MonterosaRewardMetric    = monterosafake.RewardMetric    // "metric"
	MonterosaRewardInventory = monterosafake.RewardInventory // "inventory"
)
