package loyaltytest

import "encoding/json"

// DemoSeed returns the demo data of WithDemoData and of cmd/loyaltyfake's
// default -seed=demo: a small but complete program on every platform, the
// one the quickstart tours. Each call returns a new value, so changing it
// changes nothing else.
//
// On Yotpo a paid order earns 1 point per currency unit (100.00 earns 100),
// a completed "instagram_follow" action 50 points once, a birthday 200;
// three rewards (500 points for 5.00 off, 1000 for 10% off, 300 for free
// shipping) and three VIP tiers (Bronze for all, Silver from 500 points
// earned, Gold from 1000.00 spent). On Influence.io two earn rules and
// three tiers (Member, Insider from 500 lifetime points with a 10% coupon,
// VIP from 2000 with 20.00 off). On Qualifio 10 points per event and 1 per
// currency unit, and one mapped-event integration per auth mode. On
// Monterosa a space with a points and an XP metric, a badge set, and a
// "welcome" challenge whose two missions (actions "vote" and "share") grant
// 100 points and a badge; and one coupon.
func DemoSeed() Seed {
	return Seed{
		Yotpo: &YotpoSeed{
			Campaigns: []YotpoCampaign{
				{Type: YotpoCampaignSpendBased, Title: "Points for purchases", Details: "Earn 1 point for every 1.00 spent",
					RewardPoints: 1, RewardText: "1 point per 1.00"},
				{Type: YotpoCampaignCustomAction, Title: "Follow us on Instagram", ActionName: "instagram_follow",
					RewardPoints: 50, RewardText: "50 points", MaxCompletionsPerUser: 1, CTAText: "Follow"},
				{Type: YotpoCampaignBirthday, Title: "Birthday bonus", Details: "200 points on your birthday",
					RewardPoints: 200, RewardText: "200 points"},
			},
			RedemptionOptions: []YotpoRedemptionOption{
				{Name: "5.00 off", Description: "5.00 off your next order", CostText: "500 points", Amount: 500,
					Type: "fixed_amount_coupon", DiscountType: "fixed_amount", DiscountAmountCents: 500},
				{Name: "10% off", Description: "10% off your next order", CostText: "1000 points", Amount: 1000,
					Type: "percentage_coupon", DiscountType: "percentage", DiscountPercentage: 10},
				{Name: "Free shipping", Description: "Free shipping on your next order", CostText: "300 points", Amount: 300,
					Type: "free_shipping_coupon", DiscountType: "shipping"},
			},
			VIPTiers: []YotpoVIPTier{
				{Name: "Bronze", Description: "Everyone starts here", Rank: 1, PointsMultiplier: 1},
				{Name: "Silver", Description: "500 points earned", Rank: 2, PointsEarned: 500, PointsMultiplier: 1.25},
				{Name: "Gold", Description: "1000.00 spent", Rank: 3, AmountSpentCents: 100000, PointsMultiplier: 1.5},
			},
		},
		InfluenceIO: &InfluenceIOSeed{
			EarnRules: []InfluenceIOEarnRule{
				{ID: "er-signup", Title: "Create an account", Points: 100},
				{ID: "er-review", Title: "Write a review", Points: 50},
			},
			Tiers: []InfluenceIOTier{
				{ID: "tier-member", Title: "Member", Threshold: 0},
				{ID: "tier-insider", Title: "Insider", Threshold: 500,
					EntryReward: &InfluenceIOTierReward{DiscountType: "percentage", DiscountAmount: 10}},
				{ID: "tier-vip", Title: "VIP", Threshold: 2000,
					EntryReward: &InfluenceIOTierReward{DiscountType: "fixed_amount", DiscountAmount: 20}},
			},
		},
		Qualifio: &QualifioSeed{
			EarningRule: &QualifioEarningRule{ID: "r-demo", PerEvent: 10, PerCurrencyUnit: 1},
			// The fake's own demo secrets, which unlock nothing else.
			MappedEvents: []QualifioMappedEvent{
				{ID: "shop-bearer", Auth: QualifioAuthBearer},
				{ID: "shop-header", Auth: QualifioAuthHeader, Name: "X-Shop-Token", Secret: "demo-header-secret"},
				{ID: "shop-query", Auth: QualifioAuthQuery, Name: "shop_key", Secret: "demo-query-secret"},
				{ID: "shop-hub", Auth: QualifioAuthHubSignature, Secret: "demo-hub-secret"},
			},
		},
		Monterosa: &MonterosaSeed{
			Space: &MonterosaSpace{
				Metrics: []MonterosaMetric{
					{ID: "points", Title: "Points"},
					{ID: "xp", Title: "XP", MaximumValue: 1000},
				},
				Inventory: []MonterosaInventorySet{
					{ID: "badges", Title: "Badges", Items: []MonterosaItem{{ID: "welcome-badge", Title: "Welcome badge"}}},
				},
				Challenges: []MonterosaChallenge{{
					ID: "welcome", Title: "Welcome", Subtitle: "Vote and share once",
					Notification:  MonterosaNotification{Display: "toast", Title: "Welcome!", Message: "You earned 100 points and a badge"},
					ShowInProfile: true, ShowInRail: true,
					Missions: []MonterosaMission{
						{ID: "m-vote", Title: "Vote in a poll", Type: "vote"},
						{ID: "m-share", Title: "Share a result", Type: "share"},
					},
					Rewards: []MonterosaReward{
						{Type: MonterosaRewardMetric, MetricID: "points", MetricQuantity: 100},
						{Type: MonterosaRewardInventory, InventorySetID: "badges", InventoryItemID: "welcome-badge"},
					},
				}},
			},
			Coupons: []MonterosaCoupon{
				{ID: "welcome-coupon", Title: "10% off in the shop", Link: "https://shop.example/redeem",
					CouponID: "cpn-1", CouponType: "code", CouponCode: "WELCOME10", ShowOnNotification: true},
			},
		},
	}
}

// DemoSeedJSON returns DemoSeed in the seed file format, indented: a
// starting point for a seed file (cmd/loyaltyfake -print-demo-seed prints
// it).
func DemoSeedJSON() []byte {
	b, err := json.MarshalIndent(DemoSeed(), "", "  ")
	if err != nil {
		panic("loyaltytest: DemoSeedJSON: " + err.Error()) // plain data: cannot fail
	}
	return append(b, '\n')
}
