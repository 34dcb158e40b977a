package loyalty

import (
	"context"
	"encoding/json"
	"iter"
	"math"
	"net/url"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// CampaignsService lists the earning rules (campaigns) of the program.
// Yotpo only (https://loyaltyapi.yotpo.com/reference/get-active-campaigns).
type CampaignsService service

// CampaignType is the kind of an earning rule. The list is open: an
// unknown value is kept as it came.
type CampaignType string

// Known campaign types (https://loyaltyapi.yotpo.com/reference/get-active-campaigns).
const (
	CampaignSpendBased       CampaignType = "SpendBasedCampaign"
	CampaignTransactionBased CampaignType = "TransactionBasedCampaign"
	CampaignReferral         CampaignType = "ReferralCampaign"
	// CampaignCustomAction earns when Yotpo records an action of its name.
	CampaignCustomAction    CampaignType = "CustomActionCampaign"
	CampaignBirthday        CampaignType = "BirthdayCampaign"
	CampaignTwitterRetweet  CampaignType = "TwitterRetweetCampaign"
	CampaignTwitterTweet    CampaignType = "TwitterTweetCampaign"
	CampaignTwitterFollow   CampaignType = "TwitterFollowCampaign"
	CampaignInstagramFollow CampaignType = "InstagramFollowCampaign"
)

// Campaign is an earning rule.
type Campaign struct {
	ID         int64
	Type       CampaignType
	Title      string
	Details    string
	CTAText    string
	ShareText  string
	URL        string
	Username   string
	EntityID   string
	Icon       string
	RewardText string // e.g. "100 points"
	// EndsAt is when the campaign ends (ends_at, or the legacy expires_at);
	// zero when it does not.
	EndsAt                time.Time
	CreatedAt             time.Time
	UpdatedAt             time.Time
	MaxCompletionsPerUser int64 // 0: no limit
	MinActionsRequired    int64
	// Status is the customer's progress, with CampaignListOptions.WithStatus.
	Status *CampaignStatus
	Raw    json.RawMessage
}

// CampaignStatus is a customer's progress on a campaign.
type CampaignStatus struct {
	// GlobalCompletionsLeft is nil when the campaign has no global limit.
	GlobalCompletionsLeft    *int64
	CustomerActionsCompleted int64
	CustomerTimesCompleted   int64
	// Until the customer can act again or complete again, from Yotpo's
	// whole minutes. A count past what a time.Duration holds (about 292
	// years) reads as the longest Duration, not as a wrapped negative wait;
	// a negative count reads as zero (decided).
	UntilNextAction     time.Duration
	UntilNextCompletion time.Duration
}

// minutesDuration is n minutes, saturated as CampaignStatus says.
func minutesDuration(n wireInt) time.Duration {
	switch {
	case n <= 0:
		return 0
	case int64(n) > int64(math.MaxInt64/time.Minute):
		return math.MaxInt64
	}
	return time.Duration(n) * time.Minute
}

type campaignJSON struct {
	ID                    wireInt   `json:"id" wire:"required"`
	Type                  string    `json:"type"`
	Title                 string    `json:"title"`
	Details               string    `json:"details"`
	CTAText               string    `json:"cta_text"`
	ShareText             string    `json:"share_text"`
	URL                   string    `json:"url"`
	Username              string    `json:"username"`
	EntityID              wireText  `json:"entity_id"` // an id: a number keeps its digits
	Icon                  string    `json:"icon"`
	RewardText            string    `json:"reward_text"`
	EndsAt                yotpoTime `json:"ends_at"`
	ExpiresAt             yotpoTime `json:"expires_at"` // legacy name of ends_at
	CreatedAt             yotpoTime `json:"created_at"`
	UpdatedAt             yotpoTime `json:"updated_at"`
	MaxCompletionsPerUser wireInt   `json:"max_completions_per_user"`
	MinActionsRequired    wireInt   `json:"min_actions_required"`
	Status                *struct {
		GlobalCompletionsLeft    optionalInt `json:"global_completions_left"`
		CustomerActionsCompleted wireInt     `json:"customer_actions_completed"`
		CustomerTimesCompleted   wireInt     `json:"customer_times_completed"`
		MinutesUntilNextAction   wireInt     `json:"customer_minutes_until_next_action"`
		MinutesUntilNextComplete wireInt     `json:"customer_minutes_until_next_completion"`
	} `json:"status"`
}

func (w *campaignJSON) campaign(raw json.RawMessage) *Campaign {
	c := &Campaign{
		ID: int64(w.ID), Type: CampaignType(w.Type), Title: w.Title, Details: w.Details, CTAText: w.CTAText,
		ShareText: w.ShareText, URL: w.URL, Username: w.Username, EntityID: string(w.EntityID), Icon: w.Icon,
		RewardText: w.RewardText, EndsAt: w.EndsAt.Time, CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time,
		MaxCompletionsPerUser: int64(w.MaxCompletionsPerUser), MinActionsRequired: int64(w.MinActionsRequired), Raw: raw,
	}
	if c.EndsAt.IsZero() {
		c.EndsAt = w.ExpiresAt.Time
	}
	if st := w.Status; st != nil {
		c.Status = &CampaignStatus{
			GlobalCompletionsLeft:    st.GlobalCompletionsLeft.ptr(),
			CustomerActionsCompleted: int64(st.CustomerActionsCompleted),
			CustomerTimesCompleted:   int64(st.CustomerTimesCompleted),
			UntilNextAction:          minutesDuration(st.MinutesUntilNextAction),
			UntilNextCompletion:      minutesDuration(st.MinutesUntilNextComplete),
		}
	}
	return c
}

// CampaignListOptions shapes List. The zero value lists the active
// campaigns without progress.
type CampaignListOptions struct {
	// WithStatus adds each campaign's Status (with_status).
	WithStatus bool
	// Customer, by e-mail or your id, is whose progress Status reports.
	Customer *CustomerRef
}

// List lists the active campaigns (GET /campaigns). Yotpo answers the list
// whole; the iterator fetches it on the first step.
func (s *CampaignsService) List(ctx context.Context, opts *CampaignListOptions, callOpts ...CallOption) iter.Seq2[*Campaign, error] {
	const op = "Campaigns.List"
	q := url.Values{}
	err := s.client.yotpoOnly(op)
	if err == nil && opts != nil {
		if opts.WithStatus {
			q.Set(contract.YotpoQueryWithStatus, "true")
		}
		if r := opts.Customer; r != nil {
			var ref yotpoCustomerRefBody
			ref, err = yotpoRef(op, "Customer", *r, refEmail|refID)
			for k, v := range ref.query() {
				q[k] = v
			}
		}
	}
	if err != nil {
		return failed[*Campaign](err)
	}
	return yotpoList(ctx, s.client, op, contract.YotpoPathCampaigns, q, nil, (*campaignJSON).campaign, callOpts)
}
