package loyaltytest

import (
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// The campaign types spell their wire values out for go doc; the fake reads
// internal/contract. A correction there fails here until they follow.
func TestCampaignTypesMatchTheContract(t *testing.T) {
	for _, c := range [][2]string{
		{YotpoCampaignSpendBased, contract.YotpoCampaignSpendBased},
		{YotpoCampaignTransactionBased, contract.YotpoCampaignTransactionBased},
		{YotpoCampaignReferral, contract.YotpoCampaignReferral},
		{YotpoCampaignCustomAction, contract.YotpoCampaignCustomAction},
		{YotpoCampaignBirthday, contract.YotpoCampaignBirthday},
	} {
		if c[0] != c[1] {
			t.Errorf("exported constant %q, internal/contract says %q", c[0], c[1])
		}
	}
}
