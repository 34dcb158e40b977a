package yotpofake

import (
	"math"
	"net/http"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// historyItem is one line of a customer's points ledger.
type historyItem struct {
	createdAt   time.Time
	completedAt time.Time
	action      string
	actionName  string
	points      int64
	status      string
}

// historyJSON is the wire form of a history item.
type historyJSON struct {
	CreatedAt   string `json:"created_at"`
	Date        string `json:"date"`
	Action      string `json:"action"`
	Points      int64  `json:"points"`
	Status      string `json:"status"`
	CompletedAt string `json:"completed_at"`
	ActionName  string `json:"action_name,omitempty"`
}

func (h historyItem) wire() historyJSON {
	return historyJSON{
		CreatedAt: fakekit.FormatTime(h.createdAt), Date: h.createdAt.UTC().Format("2006-01-02"),
		Action: h.action, Points: h.points, Status: h.status,
		CompletedAt: fakekit.FormatTime(h.completedAt), ActionName: h.actionName,
	}
}

// Statuses of history items (documented values).
const (
	statusApproved = "Approved"
	statusPending  = "Pending"
	statusReversed = "Reversed"
)

// Reasons of swell/points/changed (documented values, or decided where the
// docs give only a description).
const (
	reasonManual     = "Manual adjustment"
	reasonRefund     = "Refund made"
	reasonRedemption = "Redemption Made"
)

// move is one change to a customer's points, applied by Fake.apply.
type move struct {
	delta  int64        // balance change
	earned int64        // lifetime points_earned change
	reason string       // points_changed_reason of swell/points/changed
	item   *historyItem // nil: not shown to the customer
	perk   *perkJSON    // non-nil: an earning, also sent as swell/points/earned
}

// apply records m on c's ledger, emits its webhooks and re-places c in the
// VIP tiers. Callers hold f.mu and have checked that the balance stays >= 0.
func (f *Fake) apply(c *customer, m move) {
	prev := c.pointsBalance
	c.pointsBalance += m.delta
	c.pointsEarned = max(0, c.pointsEarned+m.earned)
	c.updatedAt = f.env.Now()
	if m.item != nil {
		c.history = append(c.history, *m.item)
	}
	if m.perk != nil {
		f.emit(contract.YotpoTopicPointsEarned, c, map[string]any{"perk": m.perk})
	}
	if m.delta != 0 {
		dir := "added"
		if m.delta < 0 {
			dir = "removed"
		}
		f.emit(contract.YotpoTopicPointsChanged, c, map[string]any{
			"previous_balance": prev, "current_balance": c.pointsBalance, "difference": m.delta,
			"added_or_removed": dir, "points_changed_reason": m.reason,
		})
	}
	f.updateTier(c)
}

// perkJSON is the webhook perk object.
type perkJSON struct {
	ID                 int64   `json:"id"`
	CampaignID         *int64  `json:"campaign_id"`
	MerchantID         int64   `json:"merchant_id"`
	CustomerID         int64   `json:"customer_id"`
	RedemptionOptionID *int64  `json:"redemption_option_id"`
	RewardPoints       int64   `json:"reward_points"`
	HistoryTitle       string  `json:"history_title"`
	Completed          bool    `json:"completed"`
	CompletedAt        string  `json:"completed_at"`
	Awarded            bool    `json:"awarded"`
	AwardedAt          string  `json:"awarded_at"`
	Pending            bool    `json:"pending"`
	Reversed           bool    `json:"reversed"`
	ReversedAt         *string `json:"reversed_at"`
	Expired            bool    `json:"expired"`
	ExpiredAt          *string `json:"expired_at"`
	ExpiresAt          *string `json:"expires_at"`
	CreatedAt          string  `json:"created_at"`
}

// earning builds the move of a campaign award. Callers hold f.mu.
func (f *Fake) earning(c *customer, campaignID, points int64, title, actionName string, completedAt time.Time) move {
	now := f.env.Now()
	var cid *int64
	if campaignID != 0 {
		cid = &campaignID
	}
	return move{
		delta: points, earned: points, reason: title,
		item: &historyItem{createdAt: now, completedAt: completedAt, action: title, actionName: actionName, points: points, status: statusApproved},
		perk: &perkJSON{
			ID: f.nextID(), CampaignID: cid, CustomerID: c.seq, RewardPoints: points, HistoryTitle: title,
			Completed: true, CompletedAt: fakekit.FormatTime(completedAt), Awarded: true, AwardedAt: fakekit.FormatTime(now),
			CreatedAt: fakekit.FormatTime(now),
		},
	}
}

// actionRequest is the body of POST /actions.
type actionRequest struct {
	Type          string  `json:"type"`
	CustomerEmail string  `json:"customer_email"`
	CustomerID    string  `json:"customer_id"`
	ActionName    string  `json:"action_name"`
	IPAddress     string  `json:"ip_address"`
	UserAgent     string  `json:"user_agent"`
	CreatedAt     *string `json:"created_at"`
	RewardPoints  *int64  `json:"reward_points"`
	HistoryTitle  *string `json:"history_title"`
}

// postAction serves POST /actions. Points are awarded only when the type is
// CustomAction and action_name names a live CustomActionCampaign with
// completions left; otherwise the action is acknowledged and earns nothing.
func (f *Fake) postAction(w http.ResponseWriter, r *http.Request) {
	var req actionRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.Type == "":
		WriteError(w, http.StatusBadRequest, "type is required")
		return
	case req.CustomerEmail == "" && req.CustomerID == "":
		WriteError(w, http.StatusBadRequest, "customer_email or customer_id is required")
		return
	case req.ActionName == "":
		WriteError(w, http.StatusBadRequest, "action_name is required")
		return
	case req.RewardPoints != nil && *req.RewardPoints < 0:
		WriteError(w, http.StatusBadRequest, "reward_points must not be negative")
		return
	case req.RewardPoints != nil && *req.RewardPoints > fakekit.MaxExact:
		WriteError(w, http.StatusBadRequest, fakekit.ErrOutOfRange.Error())
		return
	}
	completedAt, err := parseOptionalTime(req.CreatedAt)
	if err != nil {
		WriteError(w, http.StatusBadRequest, "created_at must be an ISO-8601 date-time")
		return
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{id: req.CustomerID, email: req.CustomerEmail})
	if c == nil {
		return
	}
	now := f.env.Now()
	cp, ok := f.actionCampaign(req.Type, req.ActionName, c)
	if !ok {
		c.lastSeenAt, c.updatedAt = now, now
		writeOK(w)
		return
	}
	pf := math.Floor(float64(cp.RewardPoints) * f.multiplierFor(c))
	if req.RewardPoints != nil {
		pf = float64(*req.RewardPoints)
	}
	points := int64(min(pf, fakekit.MaxExact+1)) // beyond MaxExact fails the check below
	_, okBal := fakekit.Add(c.pointsBalance, points)
	_, okEarned := fakekit.Add(c.pointsEarned, points)
	if pf > fakekit.MaxExact || !okBal || !okEarned {
		WriteError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	c.lastSeenAt, c.updatedAt = now, now
	title := cp.Title
	if req.HistoryTitle != nil && *req.HistoryTitle != "" {
		title = *req.HistoryTitle
	}
	if completedAt == nil {
		completedAt = &now
	}
	c.completions[cp.ID]++
	f.apply(c, f.earning(c, cp.ID, points, title, req.ActionName, *completedAt))
	writeOK(w)
}

// actionCampaign finds the live custom-action campaign an action completes.
func (f *Fake) actionCampaign(typ, name string, c *customer) (Campaign, bool) {
	if typ != contract.YotpoCustomActionType {
		return Campaign{}, false
	}
	now := f.env.Now()
	for _, cp := range f.earningCampaigns().byAction[name] {
		if cp.EndsAt != nil && !now.Before(*cp.EndsAt) {
			continue
		}
		if cp.MaxCompletionsPerUser > 0 && c.completions[cp.ID] >= cp.MaxCompletionsPerUser {
			continue
		}
		return cp, true
	}
	return Campaign{}, false
}

// adjustRequest is the body of POST /points/adjust.
type adjustRequest struct {
	CustomerEmail     string  `json:"customer_email"`
	CustomerID        string  `json:"customer_id"`
	Amount            *int64  `json:"point_adjustment_amount"`
	ApplyToEarned     bool    `json:"apply_adjustment_to_points_earned"`
	HistoryTitle      *string `json:"history_title"`
	VisibleToCustomer *bool   `json:"visible_to_customer"`
}

// adjustmentJSON is the answer of POST /points/adjust, the adjustment
// record (documented:
// https://loyaltyapi.yotpo.com/reference/adjust-a-customers-point-balance).
// Its name is the history title, its type adjustmentType and it belongs to
// no referral (decided).
type adjustmentJSON struct {
	ID         int64  `json:"id"`
	CustomerID int64  `json:"customer_id"`
	MerchantID int64  `json:"merchant_id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	ReferralID *int64 `json:"referral_id"`
	CreatedAt  string `json:"created_at"`
	UpdatedAt  string `json:"updated_at"`
}

// adjustmentType is the type of the fake's adjustment records (decided).
const adjustmentType = "ManualAdjustment"

// postAdjust serves POST /points/adjust: a signed change to the balance, and
// to points_earned when apply_adjustment_to_points_earned is set (the
// lifetime total never goes below zero), answered with the adjustment
// record. 422 when the balance would go below zero.
func (f *Fake) postAdjust(w http.ResponseWriter, r *http.Request) {
	var req adjustRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.CustomerEmail == "" && req.CustomerID == "":
		WriteError(w, http.StatusBadRequest, "customer_email or customer_id is required")
		return
	case req.Amount == nil || *req.Amount == 0:
		WriteError(w, http.StatusBadRequest, "point_adjustment_amount is required and must not be zero")
		return
	case *req.Amount > fakekit.MaxExact || *req.Amount < -fakekit.MaxExact:
		WriteError(w, http.StatusBadRequest, fakekit.ErrOutOfRange.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{id: req.CustomerID, email: req.CustomerEmail})
	if c == nil {
		return
	}
	amount := *req.Amount
	if c.pointsBalance+amount < 0 { // both within ±MaxExact: no overflow
		WriteError(w, http.StatusUnprocessableEntity, "Insufficient points: the balance cannot go below zero")
		return
	}
	_, okBal := fakekit.Add(c.pointsBalance, amount)
	_, okEarned := fakekit.Add(c.pointsEarned, amount)
	if !okBal || (req.ApplyToEarned && !okEarned) {
		WriteError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	title := reasonManual
	if req.HistoryTitle != nil && *req.HistoryTitle != "" {
		title = *req.HistoryTitle
	}
	m := move{delta: amount, reason: title}
	if req.ApplyToEarned {
		m.earned = amount
	}
	if req.VisibleToCustomer == nil || *req.VisibleToCustomer {
		now := f.env.Now()
		m.item = &historyItem{createdAt: now, completedAt: now, action: title, points: amount, status: statusApproved}
	}
	f.apply(c, m)
	now := fakekit.FormatTime(f.env.Now())
	writeJSON(w, &adjustmentJSON{
		ID: f.nextID(), CustomerID: c.seq, MerchantID: merchantID, Name: title, Type: adjustmentType,
		CreatedAt: now, UpdatedAt: now,
	})
}

func (f *Fake) tierByID(id int64) (VIPTier, bool) {
	if id == 0 {
		return VIPTier{}, false
	}
	return f.tiers.Get(id)
}

func qualifies(c *customer, t VIPTier) bool {
	return c.pointsEarned >= t.PointsEarned && c.totalSpendCents >= t.AmountSpentCents && c.totalPurchases >= t.PurchasesMade
}

// tierFor is the highest-rank tier c qualifies for (ok false: none).
func (f *Fake) tierFor(c *customer) (VIPTier, bool) {
	tiers := f.tiers.Values()
	for i := len(tiers) - 1; i >= 0; i-- {
		if qualifies(c, tiers[i]) {
			return tiers[i], true
		}
	}
	return VIPTier{}, false
}

// multiplierFor is the earning multiplier of c's current tier.
func (f *Fake) multiplierFor(c *customer) float64 {
	if t, ok := f.tierByID(c.tierID); ok {
		return multiplier(t)
	}
	return 1
}

// updateTier re-places c and emits swell/tier/earned on a move up or
// swell/tier/lost on a move down. Callers hold f.mu.
func (f *Fake) updateTier(c *customer) {
	nt, hasNew := f.tierFor(c)
	if nt.ID == c.tierID {
		return
	}
	ot, hasOld := f.tierByID(c.tierID)
	now := f.env.Now()
	c.tierID, c.tierEntry = nt.ID, &now
	if !hasNew {
		c.tierEntry = nil
	}
	extra := map[string]any{}
	if hasNew {
		extra["new_tier"] = tierWire(nt)
	}
	if hasOld {
		extra["old_tier"] = tierWire(ot)
	}
	if hasNew && (!hasOld || nt.Rank > ot.Rank) {
		f.emit(contract.YotpoTopicTierEarned, c, extra)
		return
	}
	f.emit(contract.YotpoTopicTierLost, c, extra)
}

// upgradeRequirements is what c still needs for the next tier up.
func (f *Fake) upgradeRequirements(c *customer) vipRequirements {
	req := vipRequirements{CampaignsNeeded: []string{}}
	cur, hasCur := f.tierByID(c.tierID)
	for _, t := range f.tiers.Values() {
		if hasCur && t.Rank <= cur.Rank {
			continue
		}
		req.PointsNeeded = max(0, t.PointsEarned-c.pointsEarned)
		req.AmountCentsNeeded = max(0, t.AmountSpentCents-c.totalSpendCents)
		req.AmountCentsNeededInCur = req.AmountCentsNeeded
		req.PurchasesNeeded = max(0, t.PurchasesMade-c.totalPurchases)
		break
	}
	return req
}
