package loyalty

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

// TestWireIntExact: every int64 reads exactly, 19-digit ones included
// (10^18 … MaxInt64 read as 0 before), as a number or a numeric string.
func TestWireIntExact(t *testing.T) {
	for _, want := range []int64{0, 1, -1, 15000, 999_999_999_999_999_999, 1_000_000_000_000_000_000,
		math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1, -1_000_000_000_000_000_000} {
		s := strconv.FormatInt(want, 10)
		for _, in := range []string{s, `"` + s + `"`, `" ` + s + ` "`} {
			var n wireInt
			if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
				t.Errorf("wireInt(%s) = %d, %v; want %d", in, n, err, want)
			}
		}
	}
	for in, want := range map[string]int64{"12.0": 12, "1e3": 1000, `"1e3"`: 1000, "-0": 0, `"007"`: 7} {
		var n wireInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
			t.Errorf("wireInt(%s) = %d, %v; want %d", in, n, err, want)
		}
	}
}

// TestWireIntOverflow: a value past the int64 range is not read as some
// other number; it stays 0 and is a decode issue (see wireProblem).
func TestWireIntOverflow(t *testing.T) {
	for _, in := range []string{"9223372036854775808", "-9223372036854775809", "99999999999999999999", `"9223372036854775808"`, "1e19", "12.5", `"abc"`, "true"} {
		var n wireInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != 0 {
			t.Errorf("wireInt(%s) = %d, %v; want 0", in, n, err)
		}
	}
}

func BenchmarkWireInt(b *testing.B) {
	inputs := [][]byte{[]byte("15000"), []byte(`"15000"`), []byte("-42"), []byte("1234567890123")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var n wireInt
		_ = n.UnmarshalJSON(inputs[i%len(inputs)])
	}
}

// BenchmarkDecodeYotpoCustomer: the cost of the decode-issue check on a
// customer answer (check) against the decode alone (nil Response).
func BenchmarkDecodeYotpoCustomer(b *testing.B) {
	raw := json.RawMessage(`{"email":"ana@example.com","first_name":"Ana","last_name":"Silva","phone_number":"+14155550123",
"third_party_id":"C-1042","points_balance":1200,"points_earned":"4500","total_spend_cents":"15000","total_purchases":3,
"last_purchase_at":"2024-05-01T12:30:00.000Z","last_seen_at":"2024-05-01 12:30:00","opt_in":true,"tags":"vip,eu",
"vip_tier_name":"Gold","vip_tier_actions_completed":{"points_earned":4500,"amount_spent_cents":15000,"purchases_made":3,"referrals_completed":0},
"vip_tier_upgrade_requirements":{"points_needed":500,"amount_cents_needed":0,"purchases_needed":1,"referrals_needed":0},
"referral_link":{"link":"https://example.com/r/abc","code":"abc","expired":false},
"history_items":[{"created_at":"2024-05-01T12:30:00Z","action":"purchase","points":150,"status":"approved"},{"created_at":"2024-04-01T12:30:00Z","action":"signup","points":100,"status":"approved"}],
"unknown_a":{"nested":[1,2,3]},"unknown_b":"x"}`)
	for _, bc := range []struct {
		name string
		resp *Response
	}{{"check", &Response{}}, {"nocheck", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if bc.resp != nil {
					bc.resp.DecodeIssues = bc.resp.DecodeIssues[:0]
				}
				if _, err := decodeYotpoCustomer(bc.resp, atTop, raw); err != nil {
					b.Fatal(err)
				}
			}
			if bc.resp != nil && len(bc.resp.DecodeIssues) > 0 {
				b.Fatal(bc.resp.DecodeIssues)
			}
		})
	}
}
