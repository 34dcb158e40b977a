package influenceiofake

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// reward is an issued coupon; guarded by Fake.mu.
type reward struct {
	id           string
	code         string
	discountType string
	amount       float64
	usedAt       *time.Time
}

// rewardJSON is the webhook reward object (customerReward, friendReward).
type rewardJSON struct {
	ID               string  `json:"id"`
	CouponCode       string  `json:"couponCode"`
	CouponCodeStatus string  `json:"couponCodeStatus"`
	DiscountType     string  `json:"discountType"`
	DiscountAmount   float64 `json:"discountAmount"`
}

func (rw *reward) wire() *rewardJSON {
	status := "active"
	if rw.usedAt != nil {
		status = "used"
	}
	return &rewardJSON{ID: rw.id, CouponCode: rw.code, CouponCodeStatus: status, DiscountType: rw.discountType, DiscountAmount: rw.amount}
}

// issue stores a new coupon; callers hold f.mu and checked code is free.
func (f *Fake) issue(code, discountType string, amount float64) *reward {
	rw := &reward{id: f.env.NewID(), code: code, discountType: discountType, amount: amount}
	f.rewards[code] = rw
	return rw
}

// Errors of the seeding methods; loyaltytest re-exports them as
// ErrInfluenceIOCustomerNotFound, ErrInfluenceIOInsufficient,
// ErrInfluenceIOCouponExists and ErrInfluenceIOInvalidPoints.
var (
	ErrCustomerNotFound = errors.New("influenceiofake: customer not found")
	ErrInsufficient     = errors.New("influenceiofake: insufficient points")
	ErrCouponExists     = errors.New("influenceiofake: coupon code already issued")
	ErrInvalidPoints    = errors.New("influenceiofake: points must be greater than 0")
)

// Redeem simulates a customer spending points on a reward in an Influence.io
// widget (no REST endpoint redeems): it deducts points from the customer with
// the merchant id customerID, issues couponCode (generated when empty; its use
// is then reported through POST /v1/rewards/{couponCode}/use) and emits
// points/redeemed with type "redeem". It returns the coupon code.
func (f *Fake) Redeem(customerID string, points int, couponCode, rewardType string) (string, error) {
	if points <= 0 {
		return "", ErrInvalidPoints
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customers[customerID]
	switch {
	case c == nil:
		return "", ErrCustomerNotFound
	case c.pointBalance < points:
		return "", ErrInsufficient
	}
	if couponCode == "" {
		couponCode = f.newCode("INF-")
	}
	if f.rewards[couponCode] != nil {
		return "", ErrCouponExists
	}
	f.issue(couponCode, rewardType, 0)
	now := f.env.Now()
	c.pointBalance -= points
	c.updatedAt = now
	f.emit(contract.InfluenceIOTopicPointsRedeemed, redeemedEvent{
		pointsEvent: pointsEvent{
			ID: f.env.NewID(), Customer: f.webhookCustomer(c), Action: fmt.Sprintf("Redeemed %d points", points),
			Points: points, Type: contract.InfluenceIOPointsTypeRedeem,
		},
		CouponCode: couponCode, RewardType: rewardType, RedeemRule: &redeemRule{PointCost: points},
	})
	return couponCode, nil
}

// useRequest is the optional body of POST /v1/rewards/{couponCode}/use.
type useRequest struct {
	CouponCode string `json:"couponCode"`
}

// useReward serves POST /v1/rewards/{couponCode}/use: 404 for a code never
// issued, 409 when already used. The body may be empty; when it names a
// coupon it must be the path's.
func (f *Fake) useReward(w http.ResponseWriter, r *http.Request, code string) {
	if r.ContentLength != 0 {
		var req useRequest
		if !f.readBody(w, r, &req) {
			return
		}
		if req.CouponCode != "" && req.CouponCode != code {
			invalid(w, "couponCode does not match the path")
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	rw := f.rewards[code]
	switch {
	case rw == nil:
		writeError(w, http.StatusNotFound, "Reward not found")
		return
	case rw.usedAt != nil:
		writeError(w, http.StatusConflict, "Reward already used")
		return
	}
	now := f.env.Now()
	rw.usedAt = &now
	fakekit.WriteJSON(w, http.StatusOK, map[string]any{"reward": rw.wire()})
}

// Referral seeds a referral whose friend has submitted their email.
type Referral struct {
	ReferrerID  string // the referrer's merchant customer id
	FriendEmail string
	// FriendCouponCode is the discount code the friend received; an order
	// using it (or placed with FriendEmail) completes the referral.
	FriendCouponCode     string
	FriendDiscountType   string // fixed_amount, percentage, shipping
	FriendDiscountAmount float64
	// ReferrerCouponCode is issued to the referrer on completion
	// (generated when empty), with the referrer discount below.
	ReferrerCouponCode     string
	ReferrerDiscountType   string
	ReferrerDiscountAmount float64
}

// referral is a started referral; guarded by Fake.mu.
type referral struct {
	Referral
	id           string
	seq          int64 // start order
	friendCoupon *reward
	completed    bool
}

// referralEvent is the payload of referrals/started and referrals/completed.
type referralEvent struct {
	ID             string               `json:"id"`
	Customer       *webhookCustomerJSON `json:"customer"`
	FriendCustomer *webhookCustomerJSON `json:"friendCustomer"`
	FriendEmail    string               `json:"friendEmail"`
	CustomerReward *rewardJSON          `json:"customerReward"`
	FriendReward   *rewardJSON          `json:"friendReward"`
}

// StartReferral records a started referral, issues the friend's coupon and
// emits referrals/started (customerReward null until completion).
func (f *Fake) StartReferral(ref Referral) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customers[ref.ReferrerID]
	if c == nil {
		return ErrCustomerNotFound
	}
	if ref.FriendCouponCode != "" && f.rewards[ref.FriendCouponCode] != nil {
		return ErrCouponExists
	}
	if ref.ReferrerCouponCode != "" && (f.rewards[ref.ReferrerCouponCode] != nil || ref.ReferrerCouponCode == ref.FriendCouponCode) {
		return ErrCouponExists
	}
	f.refSeq++
	rf := &referral{Referral: ref, id: f.env.NewID(), seq: f.refSeq}
	if ref.FriendCouponCode != "" {
		rf.friendCoupon = f.issue(ref.FriendCouponCode, ref.FriendDiscountType, ref.FriendDiscountAmount)
	}
	for _, k := range rf.keys() {
		f.referrals[k] = append(f.referrals[k], rf)
	}
	f.emit(contract.InfluenceIOTopicReferralsStarted, f.referralEvent(rf, nil, nil))
	return nil
}

func (f *Fake) referralEvent(rf *referral, friend *customer, referrerReward *reward) referralEvent {
	ev := referralEvent{ID: rf.id, Customer: f.webhookCustomer(f.customers[rf.ReferrerID]), FriendEmail: rf.FriendEmail}
	if friend == nil {
		friend = f.customerByEmail(rf.FriendEmail)
	}
	if friend != nil {
		ev.FriendCustomer = f.webhookCustomer(friend)
	}
	if rf.friendCoupon != nil {
		ev.FriendReward = rf.friendCoupon.wire()
	}
	if referrerReward != nil {
		ev.CustomerReward = referrerReward.wire()
	}
	return ev
}

// completeReferrals completes, once, each pending referral that o carries
// the friend's discount code or email for, and emits referrals/completed.
// Callers hold f.mu.
func (f *Fake) completeReferrals(o *order) {
	keys := []string{referralKey("email:", o.email)}
	for _, d := range o.discountCodes {
		keys = append(keys, referralKey("code:", d.Code))
	}
	var matched []*referral
	for _, k := range keys {
		matched = append(matched, f.referrals[k]...)
	}
	slices.SortFunc(matched, func(a, b *referral) int { return cmp.Compare(a.seq, b.seq) })
	for _, rf := range slices.Compact(matched) {
		if rf.completed {
			continue
		}
		rf.completed = true
		for _, k := range rf.keys() {
			f.referrals[k] = slices.DeleteFunc(f.referrals[k], func(x *referral) bool { return x == rf })
			if len(f.referrals[k]) == 0 {
				delete(f.referrals, k)
			}
		}
		code := rf.ReferrerCouponCode
		if code == "" || f.rewards[code] != nil {
			code = f.newCode("REF-")
		}
		rw := f.issue(code, rf.ReferrerDiscountType, rf.ReferrerDiscountAmount)
		f.emit(contract.InfluenceIOTopicReferralsCompleted, f.referralEvent(rf, f.orderCustomer(o), rw))
	}
}

// keys are the index keys an order completes rf by: its friend's e-mail and
// coupon code, case-insensitive.
func (rf *referral) keys() []string {
	var keys []string
	if rf.FriendEmail != "" {
		keys = append(keys, referralKey("email:", rf.FriendEmail))
	}
	if rf.FriendCouponCode != "" {
		keys = append(keys, referralKey("code:", rf.FriendCouponCode))
	}
	return keys
}

func referralKey(kind, s string) string { return kind + strings.ToLower(s) }

// newCode generates a coupon code: prefix and an upper-case dashless ID.
func (f *Fake) newCode(prefix string) string {
	return prefix + strings.ToUpper(strings.ReplaceAll(f.env.NewID(), "-", ""))
}
