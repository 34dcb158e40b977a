package loyalty_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestCouponsGetRequest(t *testing.T) {
	// The answer of https://loyaltyapi.yotpo.com/reference/get-redemption-code-data.
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/redemption_codes", Query: url.Values{"code": {"GIFT-1"}, "third_party_id": {"C-1042"}},
			Resp: `{"id":88,"code":"GIFT-1","email":"ana@example.com","point_redemption_id":"4107","third_party_id":1042,"used_at":"2024-05-02T08:00:00Z"}`},
		exchange{Method: http.MethodGet, Path: "/redemption_codes", Query: url.Values{"code": {"NOPE"}},
			Status: http.StatusNotFound, Resp: `{"error_message":"Redemption code not found"}`},
	)
	c := m.client(loyalty.Yotpo)
	cp, _, err := c.Coupons.Get(context.Background(), "GIFT-1", &loyalty.CouponGetOptions{ThirdPartyID: "C-1042"})
	require.NoError(t, err)
	assert.Equal(t, loyalty.Coupon{ID: 88, Code: "GIFT-1", Email: "ana@example.com", RedemptionID: 4107, ThirdPartyID: "1042", Raw: cp.Raw}, *cp)
	assert.Contains(t, string(cp.Raw), "used_at")
	_, _, err = c.Coupons.Get(context.Background(), "NOPE", nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	var ie *loyalty.InputError
	_, _, err = c.Coupons.Get(context.Background(), " ", nil)
	require.ErrorAs(t, err, &ie)
}

func codes(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("C%05d", i)
	}
	return out
}

func TestCouponsUploadSplitsAtTheLimit(t *testing.T) {
	all := codes(10_001)
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/redemption_codes",
			Body: fmt.Sprintf(`{"redemption_option_id":11,"codes":%q}`, strings.Join(all[:10_000], ",")), Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/redemption_codes", Body: `{"redemption_option_id":11,"codes":"C10000"}`, Resp: `{}`},
	)
	_, err := m.client(loyalty.Yotpo).Coupons.Upload(context.Background(), 11, all)
	require.NoError(t, err)
}

func TestCouponsUploadReportsTheFailingChunk(t *testing.T) {
	all := codes(20_001)
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/redemption_codes",
			Body: fmt.Sprintf(`{"redemption_option_id":11,"codes":%q}`, strings.Join(all[:10_000], ",")), Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/redemption_codes",
			Body:   fmt.Sprintf(`{"redemption_option_id":11,"codes":%q}`, strings.Join(all[10_000:20_000], ",")),
			Status: http.StatusUnprocessableEntity, Resp: `{"error_message":"Code C10000 already uploaded"}`},
	)
	_, err := m.client(loyalty.Yotpo).Coupons.Upload(context.Background(), 11, all)
	var ue *loyalty.CouponUploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, 1, ue.Chunk)
	assert.Equal(t, 3, ue.Chunks)
	assert.Equal(t, 10_000, ue.Uploaded)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
	assert.ErrorContains(t, err, "call 2 of 3")
	assert.Len(t, m.requests(), 2, "the third chunk is not sent")
}

func TestCouponsUploadValidation(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Yotpo)
	for field, in := range map[string]struct {
		id    int64
		codes []string
	}{
		"optionID": {0, []string{"A"}},
		"codes":    {1, nil},
		"codes[1]": {1, []string{"A", "B,C"}},
		"codes[0]": {1, []string{""}},
	} {
		_, err := c.Coupons.Upload(context.Background(), in.id, in.codes)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
	}
}

func TestCouponsMarkUsedRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/v1/rewards/INF%2F5OFF%208Q2K/use", Header: map[string]string{"x-api-key": "mock-key"},
			Body: `{"couponCode":"INF/5OFF 8Q2K"}`,
			Resp: `{"reward":{"couponCode":"INF/5OFF 8Q2K","usedAt":"2024-05-02T08:00:00Z","discountType":"fixed_amount"}}`},
		exchange{Method: http.MethodPost, Path: "/v1/rewards/INF%2F5OFF%208Q2K/use", Body: `{"couponCode":"INF/5OFF 8Q2K"}`,
			Status: http.StatusConflict, Resp: `{"message":"Reward already used"}`},
		exchange{Method: http.MethodPost, Path: "/v1/rewards/NOPE/use", Body: `{"couponCode":"NOPE"}`,
			Status: http.StatusNotFound, Resp: `{"message":"Reward not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	resp, err := c.Coupons.MarkUsed(ctx, "INF/5OFF 8Q2K")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = c.Coupons.MarkUsed(ctx, "INF/5OFF 8Q2K")
	assert.ErrorIs(t, err, loyalty.ErrConflict)
	assert.ErrorContains(t, err, "Reward already used")
	_, err = c.Coupons.MarkUsed(ctx, "NOPE")
	assert.ErrorIs(t, err, loyalty.ErrNotFound)

	var ie *loyalty.InputError
	for _, bad := range []string{"", " ", ".."} {
		_, err = c.Coupons.MarkUsed(ctx, bad)
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "couponCode", ie.Field)
	}
	assert.Len(t, m.requests(), 3)
}

// MarkUsed is Influence.io's; on Yotpo it fails before sending, naming
// Influence.io, and Yotpo's coupon methods stay Yotpo's.
func TestCouponsMarkUsedNotOnYotpo(t *testing.T) {
	m := newPlatformMock(t)
	_, err := m.client(loyalty.Yotpo).Coupons.MarkUsed(context.Background(), "CODE")
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	assert.ErrorContains(t, err, "Coupons.MarkUsed: yotpo does not offer it (influenceio does)")
	_, err = newPlatformMock(t).client(loyalty.Monterosa).Coupons.MarkUsed(context.Background(), "CODE")
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	assert.Empty(t, m.requests())
}

func TestCouponsGetReadsAnUnusedCode(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/redemption_codes", Query: url.Values{"code": {"GIFT-2"}},
		Resp: `{"id":"89","code":"GIFT-2","email":null,"point_redemption_id":null,"third_party_id":null}`})
	cp, _, err := m.client(loyalty.Yotpo).Coupons.Get(context.Background(), "GIFT-2", nil)
	require.NoError(t, err)
	assert.Equal(t, loyalty.Coupon{ID: 89, Code: "GIFT-2", Raw: cp.Raw}, *cp)
}
