package loyalty_test

// The Yotpo-only services (redemptions, coupons, campaigns, tiers,
// referrals, privacy) against loyaltytest, with customers and orders made
// through their services.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// seedYotpoCustomer creates a customer (with a POS id and a phone) holding
// points.
func seedYotpoCustomer(t *testing.T, c *loyalty.Client, id, email string, points int64) {
	t.Helper()
	ctx := context.Background()
	_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: email, Phone: "+3247000" + id[len(id)-4:],
		Yotpo: &loyalty.YotpoCustomerInput{POSAccountID: "pos-" + id}})
	require.NoError(t, err)
	if points > 0 {
		_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail(email), Points: points, Earned: true})
		require.NoError(t, err)
	}
}

// yotpoBalance is a customer's points balance.
func yotpoBalance(t *testing.T, c *loyalty.Client, email string) int64 {
	t.Helper()
	cust, _, err := c.Customers.Get(context.Background(), loyalty.ByEmail(email), nil)
	require.NoError(t, err)
	return cust.PointsBalance
}

func TestFakeYotpoDelayedRedemptionSettlesOnTheOrder(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	opt := srv.Yotpo().AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "$5 off", Amount: 500, DiscountType: "fixed_amount"})
	seedYotpoCustomer(t, c, "C-1042", "ana@example.com", 800)

	rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByEmail("ana@example.com"), OptionID: int64(opt.ID), DelayDeduction: true})
	require.NoError(t, err)
	require.NotEmpty(t, rd.CouponCode)
	assert.False(t, rd.Approved)
	assert.Equal(t, rd.CouponCode, rd.Code, "the fake's code is the coupon")
	assert.NotEmpty(t, rd.Token)
	assert.False(t, rd.IsAdmin || rd.IsPOS || rd.AtCheckout, "made through the API")
	assert.Equal(t, int64(800), yotpoBalance(t, c, "ana@example.com"), "deduction waits for the order")

	// The order that uses the coupon settles the redemption.
	_, _, err = c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(0, "USD"),
		Status: loyalty.OrderPaid, Discounts: []loyalty.OrderDiscount{{Code: "OTHER-CODE"}, {Code: rd.CouponCode}}})
	require.NoError(t, err)
	assert.Equal(t, int64(300), yotpoBalance(t, c, "ana@example.com"), "the order's coupon code deducted the points")

	// The store cancels the coupon: the points come back, once.
	for range 2 {
		_, err = c.Redemptions.ConfirmCancellation(ctx, rd.ID, rd.CouponCode)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(800), yotpoBalance(t, c, "ana@example.com"))
	_, err = c.Redemptions.ConfirmCancellation(ctx, rd.ID, "OTHER")
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
	_, err = c.Redemptions.ConfirmCancellation(ctx, rd.ID+1000, rd.CouponCode)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestFakeYotpoRedemptionOptionsFiltersAndVariablePoints(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	y := srv.Yotpo()
	cheap := y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "5%", Amount: 100, DiscountType: "percentage"})
	offline := y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "In store", Amount: 200, DiscountType: "fixed_amount", Offline: true})
	variable := y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "Any amount", Amount: 100, DiscountType: "variable"})
	y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "Big", Amount: 5000, DiscountType: "fixed_amount"})
	seedYotpoCustomer(t, c, "C-2001", "bram@example.com", 1000)

	ids := func(opts *loyalty.RedemptionOptionFilter) []int64 {
		var out []int64
		for _, o := range collect(t, c.Redemptions.Options(ctx, opts)) {
			out = append(out, o.ID)
		}
		return out
	}
	assert.Len(t, ids(nil), 4)
	assert.Equal(t, []int64{int64(offline.ID)}, ids(&loyalty.RedemptionOptionFilter{Offline: loyalty.Ptr(true)}))
	assert.Equal(t, []int64{int64(cheap.ID)}, ids(&loyalty.RedemptionOptionFilter{DiscountType: loyalty.DiscountPercentage}))
	bram := loyalty.ByID("C-2001")
	assert.Equal(t, []int64{int64(cheap.ID), int64(offline.ID), int64(variable.ID)}, ids(&loyalty.RedemptionOptionFilter{Eligible: &bram}))
	nobody := loyalty.ByEmail("nobody@example.com")
	assert.ErrorIs(t, firstErr(c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &nobody})), loyalty.ErrNotFound)

	_, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: bram, OptionID: int64(variable.ID), Points: 750})
	require.NoError(t, err)
	assert.Equal(t, int64(250), yotpoBalance(t, c, "bram@example.com"))
	_, _, err = c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: bram, OptionID: int64(variable.ID), Points: 50})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "below the variable reward's minimum")
	_, _, err = c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: bram, OptionID: int64(cheap.ID), Points: 100})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "points_to_redeem on a fixed reward")
}

func TestFakeYotpoUploadedCodesAreHandedOut(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	opt := srv.Yotpo().AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "Gift", Amount: 10, DiscountType: "free_product"})
	seedYotpoCustomer(t, c, "C-3001", "cleo@example.com", 100)

	all := make([]string, 10_001)
	for i := range all {
		all[i] = fmt.Sprintf("GIFT-%05d", i)
	}
	srv.ResetRequests()
	_, err := c.Coupons.Upload(ctx, int64(opt.ID), all)
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 2, "10,001 codes take two calls")

	rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByEmail("cleo@example.com"), OptionID: int64(opt.ID)})
	require.NoError(t, err)
	assert.Equal(t, "GIFT-00000", rd.CouponCode)
	cp, _, err := c.Coupons.Get(ctx, rd.CouponCode, nil)
	require.NoError(t, err)
	assert.NotZero(t, cp.ID)
	assert.Equal(t, loyalty.Coupon{ID: cp.ID, Code: "GIFT-00000", Email: "cleo@example.com", RedemptionID: rd.ID, ThirdPartyID: "C-3001", Raw: cp.Raw}, *cp)
	unused, _, err := c.Coupons.Get(ctx, "GIFT-10000", nil)
	require.NoError(t, err)
	assert.Equal(t, loyalty.Coupon{ID: unused.ID, Code: "GIFT-10000", Raw: unused.Raw}, *unused, "the second chunk's code is there, unused")
	assert.NotEqual(t, cp.ID, unused.ID)
	_, _, err = c.Coupons.Get(ctx, rd.CouponCode, &loyalty.CouponGetOptions{ThirdPartyID: "C-9999"})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)

	// The fake holds Yotpo's limit: one call of 10,001 codes is refused.
	_, err = do(t, c, loyalty.Yotpo, http.MethodPost, "/redemption_codes", map[string]any{
		"redemption_option_id": opt.ID, "codes": strings.Join(append(all[1:], "EXTRA-1", "EXTRA-2"), ",")}, nil)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)

	// Uploading the same codes again fails on the first chunk: nothing is
	// reported as uploaded.
	_, err = c.Coupons.Upload(ctx, int64(opt.ID), all[:3])
	var ue *loyalty.CouponUploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, 0, ue.Uploaded)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

func TestFakeYotpoCampaignsAndTiers(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	y := srv.Yotpo()
	cp := y.AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignCustomAction, Title: "Follow us", ActionName: "follow", RewardPoints: 20})
	y.AddVIPTier(loyaltytest.YotpoVIPTier{Name: "Gold", Rank: 2, AmountSpentCents: 50000, PointsMultiplier: 2.5})
	y.AddVIPTier(loyaltytest.YotpoVIPTier{Name: "Silver", Rank: 1, AmountSpentCents: 10000})
	seedYotpoCustomer(t, c, "C-4001", "dana@example.com", 0)
	_, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByEmail("dana@example.com"), Name: "follow"})
	require.NoError(t, err)

	ref := loyalty.ByEmail("dana@example.com")
	list := collect(t, c.Campaigns.List(ctx, &loyalty.CampaignListOptions{WithStatus: true, Customer: &ref}))
	require.Len(t, list, 1)
	assert.Equal(t, int64(cp.ID), list[0].ID)
	assert.Equal(t, loyalty.CampaignCustomAction, list[0].Type)
	require.NotNil(t, list[0].Status)
	assert.Equal(t, int64(1), list[0].Status.CustomerTimesCompleted)

	tiers := collect(t, c.Tiers.List(ctx))
	require.Len(t, tiers, 2)
	assert.Equal(t, "Silver", tiers[0].Name)
	assert.Equal(t, "Gold", tiers[1].Name)
	assert.Equal(t, int64(50000), tiers[1].Entry.AmountSpent.Minor)
	assert.Equal(t, tiers[1].Entry.AmountSpent, tiers[1].Retain.AmountSpent, "the fake keeps a tier while its entry threshold holds")
	assert.Equal(t, "2.5", tiers[1].PointsMultiplier)
	assert.Equal(t, "1", tiers[0].PointsMultiplier, "no multiplier seeded: 1")
}

func TestFakeYotpoReferrals(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	r, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: "eva@example.com", FirstName: "Eva"})
	require.NoError(t, err)
	assert.Equal(t, "eva@example.com", r.Email)
	require.NotEmpty(t, r.DiscountCode)
	assert.NotZero(t, r.ID)
	assert.Contains(t, r.Link, r.DiscountCode)
	eva, _, err := c.Customers.Get(ctx, loyalty.ByEmail("eva@example.com"), &loyalty.CustomerGetOptions{WithReferralCode: true})
	require.NoError(t, err)
	assert.Equal(t, "Eva", eva.FirstName, "created with the name given")
	assert.Equal(t, eva.ReferralLink, r.Link, "the customer's link")
	again, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: "eva@example.com"})
	require.NoError(t, err)
	assert.Equal(t, r.DiscountCode, again.DiscountCode, "found, not created twice")
	assert.Equal(t, r.ID, again.ID)

	_, err = c.Referrals.Share(ctx, loyalty.ShareInput{Email: "eva@example.com", Friends: []string{"f1@example.com", "f2@example.com"}})
	require.NoError(t, err)
	shares := srv.Yotpo().ReferralShares()
	require.Len(t, shares, 1)
	assert.Equal(t, "eva@example.com", shares[0].From)
	assert.Equal(t, []string{"f1@example.com", "f2@example.com"}, shares[0].To)
	_, err = c.Referrals.Share(ctx, loyalty.ShareInput{Email: "stranger@example.com", Friends: []string{"f1@example.com"}})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestFakeYotpoAnonymizeRemovesThePerson(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	opt := srv.Yotpo().AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "Gift", Amount: 10})
	seedYotpoCustomer(t, c, "C-5001", "finn@example.com", 100)
	seedYotpoCustomer(t, c, "C-5002", "gale@example.com", 100)
	_, err := c.Coupons.Upload(ctx, int64(opt.ID), []string{"G-1", "G-2"})
	require.NoError(t, err)
	rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByID("C-5001"), OptionID: int64(opt.ID), DelayDeduction: true})
	require.NoError(t, err)
	_, _, err = c.Orders.Create(ctx, loyalty.Order{ID: "O-9", CustomerEmail: "finn@example.com", Total: loyalty.NewMoney(2500, "USD"), Status: loyalty.OrderPaid})
	require.NoError(t, err)
	_, err = c.Referrals.Share(ctx, loyalty.ShareInput{Email: "finn@example.com", Friends: []string{"x@example.com"}})
	require.NoError(t, err)
	_, err = c.Referrals.Share(ctx, loyalty.ShareInput{Email: "gale@example.com", Friends: []string{"finn@example.com", "y@example.com"}})
	require.NoError(t, err)

	exists, _, err := c.Privacy.DataExists(ctx, "finn@example.com")
	require.NoError(t, err)
	require.True(t, exists)
	_, err = c.Privacy.RequestData(ctx, "finn@example.com")
	require.NoError(t, err)
	_, err = c.Privacy.Anonymize(ctx, "finn@example.com", &loyalty.AnonymizeOptions{AllStores: true})
	require.NoError(t, err)

	exists, _, err = c.Privacy.DataExists(ctx, "finn@example.com")
	require.NoError(t, err)
	assert.False(t, exists)
	for _, ref := range []loyalty.CustomerRef{loyalty.ByEmail("finn@example.com"), loyalty.ByID("C-5001"), loyalty.ByPOSAccount("pos-C-5001"), loyalty.ByPhone("+32470005001", "")} {
		_, _, err := c.Customers.Get(ctx, ref, nil)
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "%+v", ref)
	}
	for name, list := range map[string][]*loyalty.Customer{
		"List": collect(t, c.Customers.List(ctx, nil)), "Recent": collect(t, c.Customers.Recent(ctx, nil)),
	} {
		require.Len(t, list, 1, name)
		assert.Equal(t, "gale@example.com", list[0].Email, name)
	}
	finn := loyalty.ByEmail("finn@example.com")
	assert.ErrorIs(t, firstErr(c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &finn})), loyalty.ErrNotFound)
	cp, _, err := c.Coupons.Get(ctx, rd.CouponCode, nil)
	require.NoError(t, err)
	assert.Empty(t, cp.Email+cp.ThirdPartyID, "the code no longer names its holder")
	assert.Zero(t, cp.RedemptionID, "nor the redemption, which is gone")
	_, _, err = c.Coupons.Get(ctx, rd.CouponCode, &loyalty.CouponGetOptions{ThirdPartyID: "C-5001"})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	shares := srv.Yotpo().ReferralShares()
	require.Len(t, shares, 1)
	assert.Equal(t, []string{"y@example.com"}, shares[0].To)
	// The order stays refundable, without naming anyone, and the other
	// customer is untouched.
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-9", Total: loyalty.NewMoney(500, "USD")})
	require.NoError(t, err)
	assert.Equal(t, int64(100), yotpoBalance(t, c, "gale@example.com"))
	// A new customer with the same e-mail starts from nothing.
	seedYotpoCustomer(t, c, "C-5001", "finn@example.com", 0)
	assert.Equal(t, int64(0), yotpoBalance(t, c, "finn@example.com"))
}

func TestFakeYotpoAdjustPointsAnswersTheRecord(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	seedYotpoCustomer(t, c, "C-6001", "hana@example.com", 0)
	first, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("hana@example.com"), Points: 40, HistoryTitle: "Goodwill"})
	require.NoError(t, err)
	assert.NotZero(t, first.ID)
	assert.NotZero(t, first.CustomerID, "Yotpo's own id of the customer")
	assert.Equal(t, "Goodwill", first.Name)
	assert.NotEmpty(t, first.Type)
	assert.False(t, first.CreatedAt.IsZero())
	second, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-6001"), Points: -10})
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, second.ID, "one record per adjustment")
	assert.Equal(t, first.CustomerID, second.CustomerID)
	assert.Equal(t, int64(30), yotpoBalance(t, c, "hana@example.com"))
}
