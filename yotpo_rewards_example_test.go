package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// exampleYotpo starts the fake with one reward and a customer holding 800
// points.
func exampleYotpo() (*loyaltytest.Server, *loyalty.Client, loyaltytest.YotpoRedemptionOption) {
	srv := loyaltytest.NewServer()
	c := srv.Client()
	opt := srv.Yotpo().AddRedemptionOption(loyaltytest.YotpoRedemptionOption{
		Name: "$5 off", Amount: 500, DiscountType: "fixed_amount", DiscountAmountCents: 500})
	ctx := context.Background()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 800}); err != nil {
		log.Fatal(err)
	}
	return srv, c, opt
}

func ExampleRedemptionsService_Redeem() {
	srv, c, _ := exampleYotpo()
	defer srv.Close()
	ctx := context.Background()

	ana := loyalty.ByEmail("ana@example.com")
	for opt, err := range c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &ana}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(opt.Name, opt.Points, "points,", opt.DiscountAmount.Minor, "cents off")
		// Deduct the points when the order with the coupon arrives.
		rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: ana, OptionID: opt.ID, DelayDeduction: true})
		if errors.Is(err, loyalty.ErrMaybeApplied) {
			log.Fatal("not retried: Yotpo does not de-duplicate redemptions; check the history first")
		} else if err != nil {
			log.Fatal(err)
		}
		fmt.Println("coupon issued:", rd.CouponCode != "", "approved:", rd.Approved)
		break // one reward per order: without it, every eligible option is redeemed
	}
	// Output:
	// $5 off 500 points, 500 cents off
	// coupon issued: true approved: false
}

func ExampleCouponsService_Upload() {
	srv, c, opt := exampleYotpo()
	defer srv.Close()
	ctx := context.Background()

	if _, err := c.Coupons.Upload(ctx, int64(opt.ID), []string{"FIVE-0001", "FIVE-0002"}); err != nil {
		var ue *loyalty.CouponUploadError
		if errors.As(err, &ue) {
			log.Fatalf("resume with codes[%d:]: %v", ue.Uploaded, err)
		}
		log.Fatal(err)
	}
	rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByID("C-1042"), OptionID: int64(opt.ID)})
	if err != nil {
		log.Fatal(err)
	}
	cp, _, err := c.Coupons.Get(ctx, rd.CouponCode, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cp.Code, "handed out by redemption", cp.RedemptionID == rd.ID, "to", cp.Email)
	// Output: FIVE-0001 handed out by redemption true to ana@example.com
}

func ExampleCampaignsService_List() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Make a purchase", RewardText: "1 point per $1"})
	c := srv.Client()

	for cp, err := range c.Campaigns.List(context.Background(), nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(cp.Title, "-", cp.RewardText, "-", cp.Type == loyalty.CampaignSpendBased)
	}
	// Output: Make a purchase - 1 point per $1 - true
}

func ExampleTiersService_List() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Yotpo().AddVIPTier(loyaltytest.YotpoVIPTier{Name: "Gold", Rank: 2, AmountSpentCents: 50000, PointsMultiplier: 2})
	srv.Yotpo().AddVIPTier(loyaltytest.YotpoVIPTier{Name: "Silver", Rank: 1, AmountSpentCents: 10000})
	c := srv.Client()

	for t, err := range c.Tiers.List(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: spend %d cents, x%s points\n", t.Name, t.Entry.AmountSpent.Minor, t.PointsMultiplier)
	}
	// Output:
	// Silver: spend 10000 cents, x1 points
	// Gold: spend 50000 cents, x2 points
}

func ExampleReferralsService_Referrer() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	r, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: "ana@example.com", FirstName: "Ana"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Email, "shares", r.Link, "with code", r.DiscountCode)
	_, err = c.Referrals.Share(ctx, loyalty.ShareInput{Email: r.Email, Friends: []string{"bram@example.com"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.Yotpo().ReferralShares()[0].To)
	// Output:
	// ana@example.com shares rwrd.io/ref000001 with code ref000001
	// [bram@example.com]
}

func ExamplePrivacyService_Anonymize() {
	srv, c, _ := exampleYotpo()
	defer srv.Close()
	ctx := context.Background()

	exists, _, err := c.Privacy.DataExists(ctx, "ana@example.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("before:", exists)
	if _, err := c.Privacy.Anonymize(ctx, "ana@example.com", &loyalty.AnonymizeOptions{AllStores: true}); err != nil {
		log.Fatal(err)
	}
	if exists, _, err = c.Privacy.DataExists(ctx, "ana@example.com"); err != nil {
		log.Fatal(err)
	}
	fmt.Println("after:", exists)
	// Output:
	// before: true
	// after: false
}
