package loyaltytest

import (
	"github.com/loyalty-go/loyalty/internal/contract"
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

// QualifioMappedEvent.Auth modes (qualifio.md §2.2).
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
	YotpoCampaignSpendBased       = contract.YotpoCampaignSpendBased       // "SpendBasedCampaign"
	YotpoCampaignTransactionBased = contract.YotpoCampaignTransactionBased // "TransactionBasedCampaign"
	YotpoCampaignReferral         = contract.YotpoCampaignReferral         // "ReferralCampaign"
	YotpoCampaignCustomAction     = contract.YotpoCampaignCustomAction     // "CustomActionCampaign"
	YotpoCampaignBirthday         = contract.YotpoCampaignBirthday         // "BirthdayCampaign"
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

// Qualifio returns the Qualifio fake: SetWebhook, SetEarningRule,
// AddMappedEvent and MappedEvents, Points and ProgramID, and the back-office
// stand-ins that cause the webhooks no API causes (CorrectPoints, Burn,
// GiveGift, VisitPortal, SetLevel).
func (s *Server) Qualifio() *QualifioFake { return s.qualifio }

// Yotpo returns the Yotpo fake: SetWebhook, AddCampaign,
// AddRedemptionOption and AddVIPTier, and ReferralShares (the referral
// e-mails it was asked to send).
func (s *Server) Yotpo() *YotpoFake { return s.yotpo }

// InfluenceIO returns the Influence.io fake: RegisterWebhook, AddEarnRule,
// AddTier, Redeem and StartReferral.
func (s *Server) InfluenceIO() *InfluenceIOFake { return s.influence }

// Monterosa returns the Monterosa fake: SetConfig and AddCoupon.
func (s *Server) Monterosa() *MonterosaFake { return s.monterosa }

// MonterosaReward.Type values.
const (
	MonterosaRewardMetric    = monterosafake.RewardMetric    // "metric"
	MonterosaRewardInventory = monterosafake.RewardInventory // "inventory"
)
