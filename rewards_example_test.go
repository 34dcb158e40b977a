package loyalty_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// A back end acting for several fans through one Client: each fan's calls
// carry that fan's own Monterosa token.
func ExampleRewardsService_ForUser() {
	srv := loyaltytest.NewServer() // stands in for https://fans.example-club.com
	defer srv.Close()
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{
		Metrics: []loyaltytest.MonterosaMetric{{ID: "xp", Title: "XP"}},
		Challenges: []loyaltytest.MonterosaChallenge{{
			ID:       "warm-up",
			Missions: []loyaltytest.MonterosaMission{{ID: "watch", Type: "video_watched"}},
			Rewards:  []loyaltytest.MonterosaReward{{Type: "metric", MetricID: "xp", MetricQuantity: 100}},
		}},
	})

	// No TokenSource: the back end has no user of its own, so every call
	// names its fan (one without a fan fails before sending).
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL}))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// The fans' tokens, as each fan's app sent them to the back end (the
	// fake reads a plain token as its user's name).
	tokens := map[string]string{"ana": "ana", "bo": "bo"}

	fan := c.Rewards.ForUser(tokens["ana"])
	if _, err := fan.ReportAction(ctx, loyalty.RewardsAction{
		Name: "video_watched",
		Data: map[string]any{"videoId": "v-123", "seconds": 95, "completed": true},
	}); err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"ana", "bo"} {
		p, _, err := c.Rewards.ForUser(tokens[name]).Profile(ctx)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: xp %v, warm-up done %v\n", name, p.Metrics["xp"], p.Challenges["warm-up"].IsCompleted)
	}
	ns, _, err := fan.Notifications(ctx) // reading marks them read
	if err != nil {
		log.Fatal(err)
	}
	for _, n := range ns {
		fmt.Println("ana:", n.Type, n.Payload.ChallengeID)
	}
	// Output:
	// ana: xp 100, warm-up done true
	// bo: xp 0, warm-up done false
	// ana: missionCompleted warm-up
	// ana: challengeCompleted warm-up
}
