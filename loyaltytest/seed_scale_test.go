package loyaltytest_test

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

// seedOf is a seed holding n rules of one kind (ids assigned on load, ranks
// and thresholds descending, so that every rule lands before the others).
func seedOf(kind string, n int) loyaltytest.Seed {
	switch kind {
	case "yotpo-campaigns":
		s := &loyaltytest.YotpoSeed{Campaigns: make([]loyaltytest.YotpoCampaign, n)}
		for i := range s.Campaigns {
			s.Campaigns[i] = loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignCustomAction, Title: "c" + strconv.Itoa(i), ActionName: "a" + strconv.Itoa(i), RewardPoints: 1}
		}
		return loyaltytest.Seed{Yotpo: s}
	case "yotpo-options":
		s := &loyaltytest.YotpoSeed{RedemptionOptions: make([]loyaltytest.YotpoRedemptionOption, n)}
		for i := range s.RedemptionOptions {
			s.RedemptionOptions[i] = loyaltytest.YotpoRedemptionOption{Name: "o" + strconv.Itoa(i), Amount: 100, Type: "shopify_fixed_amount_coupon"}
		}
		return loyaltytest.Seed{Yotpo: s}
	case "yotpo-tiers":
		s := &loyaltytest.YotpoSeed{VIPTiers: make([]loyaltytest.YotpoVIPTier, n)}
		for i := range s.VIPTiers {
			s.VIPTiers[i] = loyaltytest.YotpoVIPTier{Name: "t" + strconv.Itoa(i), Rank: int64(n - i), PointsEarned: int64(n - i)}
		}
		return loyaltytest.Seed{Yotpo: s}
	case "influenceio-tiers":
		s := &loyaltytest.InfluenceIOSeed{Tiers: make([]loyaltytest.InfluenceIOTier, n)}
		for i := range s.Tiers {
			s.Tiers[i] = loyaltytest.InfluenceIOTier{ID: "t" + strconv.Itoa(i), Title: "t", Threshold: n - i}
		}
		return loyaltytest.Seed{InfluenceIO: s}
	}
	panic("unknown kind " + kind)
}

var seedKinds = []string{"yotpo-campaigns", "yotpo-options", "yotpo-tiers", "influenceio-tiers"}

// loadAndRead seeds srv and reads the loaded list back (the fake may put
// it in order on first read), and returns how many rules it holds.
func loadAndRead(t testing.TB, srv *loyaltytest.Server, kind string, seed loyaltytest.Seed) int {
	if err := srv.Seed(seed); err != nil {
		t.Fatal(err)
	}
	switch kind {
	case "yotpo-campaigns":
		return len(srv.Yotpo().Campaigns())
	case "yotpo-options":
		return len(srv.Yotpo().RedemptionOptions())
	case "yotpo-tiers":
		return len(srv.Yotpo().VIPTiers())
	default:
		return len(srv.InfluenceIO().Tiers())
	}
}

// TestLargeSeedFileLoads decodes and loads a seed file of 80,000 campaigns,
// under MaxSeedBytes. How the cost grows with the seed is measured by
// BenchmarkSeedLoad, not timed in a test.
func TestLargeSeedFileLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes an 80,000-campaign seed")
	}
	var b bytes.Buffer
	b.WriteString(`{"yotpo":{"campaigns":[`)
	for i := range 80000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":%q,"title":"c%d","rewardPoints":1}`, loyaltytest.YotpoCampaignTransactionBased, i)
	}
	b.WriteString(`]}}`)
	if b.Len() > loyaltytest.MaxSeedBytes {
		t.Fatalf("the seed is %d bytes, over MaxSeedBytes", b.Len())
	}
	srv := loyaltytest.New(t)
	seed, err := loyaltytest.DecodeSeed(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := loadAndRead(t, srv, "yotpo-campaigns", seed); got != 80000 {
		t.Fatalf("loaded %d campaigns, want 80000", got)
	}
}

// BenchmarkSeedLoad measures Server.Seed of n rules of each kind into an
// empty server: linear work grows 10× from 1,000 to 10,000 rules (the
// quadratic loader this replaced grew about 100×):
//
//	go test -run '^$' -bench SeedLoad -count=6 ./loyaltytest | benchstat -
func BenchmarkSeedLoad(b *testing.B) {
	for _, kind := range seedKinds {
		for _, n := range []int{1000, 10000} {
			b.Run(fmt.Sprintf("%s=%d", kind, n), func(b *testing.B) {
				srv := loyaltytest.New(b)
				seed := seedOf(kind, n)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					b.StopTimer()
					srv.Reset()
					runtime.GC() // the last load's garbage is not this one's
					b.StartTimer()
					if err := srv.Seed(seed); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
