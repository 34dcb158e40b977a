package loyalty

import (
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// The exported constants spell their wire values out, so that go doc shows
// them; internal/contract stays the one place the SDK and the fake read
// them from. A correction there fails here until the constant follows.
func TestExportedConstantsMatchTheContract(t *testing.T) {
	for _, c := range []struct{ exported, contract string }{
		{string(CampaignSpendBased), contract.YotpoCampaignSpendBased},
		{string(CampaignTransactionBased), contract.YotpoCampaignTransactionBased},
		{string(CampaignReferral), contract.YotpoCampaignReferral},
		{string(CampaignCustomAction), contract.YotpoCampaignCustomAction},
		{string(CampaignBirthday), contract.YotpoCampaignBirthday},
		{string(EventCustomBasic), contract.QualifioEventCustomBasic},
		{string(EventPurchase), contract.QualifioEventPurchase},
		{string(DiscountVariable), contract.YotpoDiscountVariable},
		{string(RewardsChallengeCompleted), contract.MonterosaTypeChallengeCompleted},
		{string(RewardsMissionCompleted), contract.MonterosaTypeMissionCompleted},
		{string(InfluenceIOTopicCustomersUpdated), contract.InfluenceIOTopicCustomersUpdated},
		{string(InfluenceIOTopicCustomersTierChanged), contract.InfluenceIOTopicCustomersTierChanged},
		{string(InfluenceIOTopicTierEntryRewardEarned), contract.InfluenceIOTopicTierEntryRewardEarned},
		{string(InfluenceIOTopicPointsEarned), contract.InfluenceIOTopicPointsEarned},
		{string(InfluenceIOTopicPointsRedeemed), contract.InfluenceIOTopicPointsRedeemed},
		{string(InfluenceIOTopicReferralsStarted), contract.InfluenceIOTopicReferralsStarted},
		{string(InfluenceIOTopicReferralsCompleted), contract.InfluenceIOTopicReferralsCompleted},
	} {
		if c.exported != c.contract {
			t.Errorf("exported constant %q, internal/contract says %q", c.exported, c.contract)
		}
	}
}
