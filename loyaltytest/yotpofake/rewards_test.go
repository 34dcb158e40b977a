package yotpofake

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// The wire edges of the coupon, cancellation, referral and privacy
// endpoints; their flows are tested through the SDK in the root package.

func TestCancellationRouting(t *testing.T) {
	h := newHarness(t, Config{})
	opt := h.fake.AddRedemptionOption(RedemptionOption{Name: "Gift", Amount: 10})
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":50}`)
	var rd struct {
		ID         int64  `json:"id"`
		RewardText string `json:"reward_text"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRedemptions, nil,
		`{"customer_email":"a@example.com","redemption_option_id":`+itoa(opt.ID)+`}`), &rd)
	path := contract.YotpoPathRedemptions + "/" + itoa(rd.ID) + contract.YotpoPathRedemptionCancelled
	h.mustError(http.StatusBadRequest, http.MethodPost, path, nil, `{}`)
	h.mustError(http.StatusMethodNotAllowed, http.MethodGet, path, nil, "")
	for _, bad := range []string{"/redemptions//cancellation_completed", "/orders/1/cancellation_completed", "/1/cancellation_completed", "/redemptions/x/cancellation_completed", "/redemptions/1/2/cancellation_completed", "/redemptions/1/cancellation_completed/x"} {
		h.mustError(http.StatusNotFound, http.MethodPost, bad, nil, `{"reward_text":"`+rd.RewardText+`"}`)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"reward_text":"`+strings.ToLower(rd.RewardText)+`"}`)
}

func TestRedemptionCodesEdges(t *testing.T) {
	h := newHarness(t, Config{})
	opt := h.fake.AddRedemptionOption(RedemptionOption{Name: "Gift", Amount: 0})
	id := itoa(opt.ID)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"codes":"A"}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"redemption_option_id":`+id+`,"codes":" "}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"redemption_option_id":999,"codes":"A"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"redemption_option_id":`+id+`,"codes":"A,A"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"redemption_option_id":"`+id+`","codes":"A, B"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, `{"redemption_option_id":`+id+`,"codes":"C,B"}`)
	h.mustError(http.StatusNotFound, http.MethodGet, contract.YotpoPathRedemptionCodes, url.Values{contract.YotpoQueryCode: {"C"}}, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathRedemptionCodes, nil, "")

	// Two codes: two redemptions get them in upload order, the third finds none.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"a@example.com"}`)
	for _, want := range []string{"A", "B"} {
		var rd struct {
			RewardText string `json:"reward_text"`
		}
		decode(t, h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"customer_email":"a@example.com","redemption_option_id":`+id+`}`), &rd)
		if rd.RewardText != want {
			t.Errorf("code %q, want %q", rd.RewardText, want)
		}
	}
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"customer_email":"a@example.com","redemption_option_id":`+id+`}`)
}

func TestReferralAndPrivacyEdges(t *testing.T) {
	h := newHarness(t, Config{})
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"emails":"b@example.com"}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"email":"a@example.com","emails":" , "}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"email":"a@example.com","emails":"nope"}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"email":"a@example.com","emails":"b@example.com"}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathReferralReferrer, nil, `{}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathReferralReferrer, nil, `{"email":"nope"}`)
	h.fake.SetWebhook(hookURL, "")
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathReferralReferrer, nil, `{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathReferralReferrer, nil, `{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"email":"a@example.com","emails":"b@example.com, c@example.com"}`)
	ds := h.TakeDeliveries()
	if got := strings.Join(topics(ds), " "); got != "swell/account/created swell/referral/share swell/referral/share" {
		t.Fatalf("deliveries %s", got)
	}
	var share struct {
		Name, Email, From string
		ReferralLink      string `json:"referral_link"`
	}
	decode(t, ds[2].Body, &share)
	if share.Name != "Swell Referral Share" || share.Email != "c@example.com" || share.From != "a@example.com" || !strings.HasPrefix(share.ReferralLink, "rwrd.io/") {
		t.Errorf("share delivery %+v", share)
	}
	for _, p := range []string{contract.YotpoPathPrivacyDataExists, contract.YotpoPathPrivacyData} {
		h.mustError(http.StatusBadRequest, http.MethodGet, p, nil, "")
	}
	q := url.Values{contract.YotpoQueryEmail: {"A@example.com"}}
	// DELETE takes email (and all_stores) in the body; the query is not read.
	h.mustError(http.StatusBadRequest, http.MethodDelete, contract.YotpoPathPrivacyData, q, `{}`)
	var ex struct {
		HasData *bool `json:"has_data"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathPrivacyDataExists, q, ""), &ex)
	if ex.HasData == nil || !*ex.HasData {
		t.Error("e-mails match case-insensitively")
	}
	h.MustStatus(http.StatusOK, http.MethodDelete, contract.YotpoPathPrivacyData, nil, `{"email":"A@example.com","all_stores":true}`)
	h.MustStatus(http.StatusOK, http.MethodDelete, contract.YotpoPathPrivacyData, nil, `{"email":"A@example.com"}`)
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathPrivacyDataExists, q, ""), &ex)
	if ex.HasData == nil || *ex.HasData {
		t.Error("still exists after anonymization")
	}
}

// TestPrivacyFindsFriendsOfShares checks the index behind
// /privacy/data/exists: a friend named only by a referral share is held
// until the share goes; anonymizing one friend keeps the share for the
// others.
func TestPrivacyFindsFriendsOfShares(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathReferralShare, nil, `{"email":"a@example.com","emails":"B@example.com, c@example.com"}`)
	exists := func(email string) bool {
		t.Helper()
		var ex struct {
			HasData bool `json:"has_data"`
		}
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathPrivacyDataExists, url.Values{contract.YotpoQueryEmail: {email}}, ""), &ex)
		return ex.HasData
	}
	forget := func(email string) {
		h.MustStatus(http.StatusOK, http.MethodDelete, contract.YotpoPathPrivacyData, nil, `{"email":"`+email+`"}`)
	}
	if !exists("b@example.com") || !exists("C@example.com") || exists("d@example.com") {
		t.Fatal("friends of a share: b and c are held, d is not")
	}
	h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathPrivacyData, url.Values{contract.YotpoQueryEmail: {"c@example.com"}}, "")
	forget("b@example.com")
	if exists("b@example.com") || !exists("c@example.com") || !exists("a@example.com") {
		t.Fatal("anonymizing b keeps the share for c and its sender")
	}
	forget("a@example.com")
	if exists("a@example.com") {
		t.Fatal("the sender is anonymized")
	}
	if !exists("c@example.com") {
		t.Fatal("c asked for their data: that request is still held")
	}
	forget("c@example.com")
	if exists("c@example.com") || len(h.fake.ReferralShares()) != 0 {
		t.Fatalf("after anonymizing everyone: shares %+v", h.fake.ReferralShares())
	}
}
