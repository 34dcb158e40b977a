package loyaltytest_test

import (
	"bytes"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"testing"
	"time"

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

// TestSeedLoadGrowsLinearly loads 10,000 and then 80,000 rules of each
// kind. Loading was quadratic (each rule scanned the ones before it; 80,000
// campaigns ran past 30 s): it fails when eight times the rules take 48
// times as long or more in each of three measurements (quadratic takes 64
// times and more; linear 8 to 12 on a quiet machine, up to 32 on a busy
// one, timed with the collector off) and 80,000 rules also take 300 ms or
// more (the quadratic code needed longer for 10,000).
func TestSeedLoadGrowsLinearly(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 rules per kind")
	}
	// The collector off while timing: with it, a linear load's ratio swings
	// up to 40× on a busy machine with the heap's growth (with it off,
	// linear is 8×, the quadratic loader 58×). Each load starts collected.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	srv := loyaltytest.New(t)
	load := func(kind string, seed loyaltytest.Seed, n int) time.Duration {
		srv.Reset()
		runtime.GC() // collect the last load's garbage outside the timing
		start := time.Now()
		got := loadAndRead(t, srv, kind, seed)
		d := time.Since(start)
		if got != n {
			t.Fatalf("%s: loaded %d of %d", kind, got, n)
		}
		return d
	}
	const smallN, largeN = 10000, 80000
	for _, kind := range seedKinds {
		smallSeed, largeSeed := seedOf(kind, smallN), seedOf(kind, largeN)
		// Up to three measurements of both sizes: a linear loader passes the
		// first on a quiet machine, and one of three on a busy one.
		var small, large time.Duration
		quadratic := func() bool { return large >= 48*small && large >= 300*time.Millisecond }
		for try := 0; try < 3 && (try == 0 || quadratic()); try++ {
			small = min(load(kind, smallSeed, smallN), load(kind, smallSeed, smallN))
			large = load(kind, largeSeed, largeN)
		}
		t.Logf("%s: %d in %v, %d in %v (%.1f×)", kind, smallN, small, largeN, large, float64(large)/float64(small))
		if quadratic() {
			t.Errorf("%s: %d rules took %v, %.1f× the %v of %d: loading grows quadratically", kind, largeN, large, float64(large)/float64(small), small, smallN)
		}
	}
}

// TestLargeSeedFileLoads decodes and loads a seed file of 80,000 campaigns,
// under MaxSeedBytes, within a bound the quadratic loader could not meet
// even without the race detector.
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
	start := time.Now()
	seed, err := loyaltytest.DecodeSeed(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := loadAndRead(t, srv, "yotpo-campaigns", seed); got != 80000 {
		t.Fatalf("loaded %d campaigns, want 80000", got)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Fatalf("decoding and loading 80,000 campaigns took %v", d)
	}
}

// BenchmarkSeedLoad measures Server.Seed of n rules of each kind into an
// empty server: linear work grows 10× from 1,000 to 10,000 rules.
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
