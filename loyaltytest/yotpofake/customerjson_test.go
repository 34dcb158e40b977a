package yotpofake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// TestCustomerJSON checks that appendJSON writes what encoding/json writes
// for the same customerJSON: every member set, none set, and strings that
// need escaping.
func TestCustomerJSON(t *testing.T) {
	s := func(v string) *string { return &v }
	n := func(v int) *int { return &v }
	history := []historyJSON{{CreatedAt: "2026-01-02T03:04:05.000Z", Date: "2026-01-02", Action: "Order <1>", Points: -5, Status: "Approved", CompletedAt: "x", ActionName: "order"}}
	noHistory := []historyJSON{}
	full := customerJSON{
		Email: "ana+\"x\"@example.com", FirstName: "Ána", LastName: "<O'Brien & co>", PhoneNumber: "+1 555\n",
		ThirdPartyID: "C-1", ThirtyPartyID: "C-1", POSAccountID: s("pos\u2028"), HasStoreAccount: true,
		PointsBalance: -1, PointsEarned: 1 << 53, PointsExpireAt: s("2027-01-01T00:00:00.000Z"), TotalSpendCents: 2500,
		TotalPurchases: 3, PerksRedeemed: 4, LastPurchaseAt: s("2026-12-01T00:00:00.000Z"), LastSeenAt: "2026-12-07T00:00:00.000Z",
		CreditBalance: "$0", CreditBalanceInCurrency: "$0", OptIn: true, OptedInAt: s("bad\xff"), Tags: "vip,\tgold",
		BirthdayMonth: n(12), BirthDay: n(31), BirthdayYear: n(-1), VIPTierName: s("Gold"), VIPTierEntryDate: s("d"), VIPTierExpiration: s("e"),
		VIPTierActionsCompleted: vipActions{PointsEarned: 1, AmountSpentCents: 2, AmountSpentCentsCurrency: 3, PurchasesMade: 4, ReferralsCompleted: 5, CampaignsCompleted: []string{"a", "<b>"}},
		VIPTierUpgrade:          vipRequirements{PointsNeeded: 6, AmountCentsNeeded: 7, AmountCentsNeededInCur: 8, PurchasesNeeded: 9, ReferralsNeeded: 10, CampaignsNeeded: []string{}},
		VIPTierMaintenance:      vipRequirements{CampaignsNeeded: nil},
		ReferralCode:            &referralCode{Code: "ref1", CompletedReferralCustomers: []completedReferral{{Email: "b@example.com"}}},
		ReferralLink:            &referralLink{Link: "rwrd.io/ref1", Code: "ref1", CustomerID: "C-1"},
		HistoryItems:            &history,
	}
	empty := full
	empty.ReferralCode, empty.ReferralLink, empty.HistoryItems = nil, nil, &noHistory
	for name, j := range map[string]customerJSON{"full": full, "zero": {}, "no referral, empty history": empty} {
		want, err := json.Marshal(&j)
		if err != nil {
			t.Fatal(err)
		}
		if got := j.appendJSON(nil); string(got) != string(want) {
			t.Errorf("%s:\n appendJSON %s\n json       %s", name, got, want)
		}
	}
}

// TestGetCustomerAnswer checks the body of GET /customers against
// encoding/json's encoding of the same customer, with and without its
// history and referral code, and with a tier.
func TestGetCustomerAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	f := h.fake
	f.AddVIPTier(VIPTier{Name: "Silver <1>", Rank: 1})
	f.AddVIPTier(VIPTier{Name: "Gold", Rank: 2, PointsEarned: 100})
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomers, nil,
		`{"email":"ana@example.com","id":"C-1","first_name":"Ana & Bo","pos_account_id":"P1","opted_in":true,"opted_in_at":"2026-01-02"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"ana@example.com","point_adjustment_amount":10,"history_title":"bench"}`)
	for _, flags := range []struct{ history, referral bool }{{false, false}, {true, false}, {false, true}, {true, true}} {
		f.mu.Lock()
		want := httptest.NewRecorder()
		fakekit.WriteJSON(want, http.StatusOK, f.customerWire(f.lookup(identifiers{email: "ana@example.com"}), flags.history, flags.referral))
		f.mu.Unlock()
		q := url.Values{contract.YotpoQueryCustomerEmail: {"ana@example.com"},
			contract.YotpoQueryWithHistory: {strconv.FormatBool(flags.history)}, contract.YotpoQueryWithReferralCode: {strconv.FormatBool(flags.referral)}}
		if got := h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""); string(got) != want.Body.String() {
			t.Errorf("%+v:\n got  %s\n want %s", flags, got, want.Body)
		}
	}
}
