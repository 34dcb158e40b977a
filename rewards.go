package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
)

// RewardsService is the Monterosa Loyalty API
// (https://products.monterosa.co/mic/reference/audience-api-preview/loyalty-api):
// the space's configuration, a user's profile, notifications and history,
// coupons, and reporting actions.
//
// Client.Rewards acts for the Client's own token (none when
// MonterosaConfig.TokenSource is nil: its calls then fail before sending,
// and only views act). ForUser,
// ForUserTokenSource and ForUserID return views of the same service that act
// for one user each: a back end serving many fans uses one Client and a view
// per fan, not a Client per fan. A view is a small value sharing the
// Client's connections and retry policy; building one costs no transport and
// no request, and it is safe for concurrent use. Printed or logged (%v,
// %+v, %#v, slog), a view says whom it acts for but never shows a token.
type RewardsService struct {
	client *Client
	user   rewardsUser
	token  string             // the user token (userToken) or user id (userID)
	source oauth2.TokenSource // userTokenSource
}

// rewardsUser says whom a RewardsService acts for.
type rewardsUser uint8

const (
	clientUser      rewardsUser = iota // the Client's TokenSource
	userToken                          // a user token given to ForUser
	userTokenSource                    // a user's TokenSource given to ForUserTokenSource
	userID                             // the Client's service token, for the user id given to ForUserID
)

// ForUser returns a view of the service whose calls carry the user token
// token (a Monterosa access token, JWT) instead of the Client's: the user
// is the token's. The view replaces any user s acts for. An empty token
// makes every call of the view fail before sending.
func (s *RewardsService) ForUser(token string) *RewardsService {
	return &RewardsService{client: s.client, user: userToken, token: token}
}

// ForUserTokenSource is ForUser with the user's token taken from ts on
// every attempt, for tokens the caller renews. The SDK never refreshes a
// token itself: a 401 comes back as ErrUnauthorized. ts must be safe for
// concurrent use (as oauth2.ReuseTokenSource is): the view is, and calls
// through it may ask ts for a token at the same time.
func (s *RewardsService) ForUserTokenSource(ts oauth2.TokenSource) *RewardsService {
	return &RewardsService{client: s.client, user: userTokenSource, source: ts}
}

// ForUserID returns a view of the service acting for the user id with the
// Client's service token (MonterosaConfig.ServiceToken), sent as the userId
// query parameter (decided: the docs say the user id must be passed, not
// how). On a Client whose token is not a service token, or with an empty
// id, every call of the view fails before sending.
func (s *RewardsService) ForUserID(id string) *RewardsService {
	return &RewardsService{client: s.client, user: userID, token: id}
}

// String says whom s acts for, never with the user's token. String,
// GoString and LogValue have value receivers, so that a RewardsService
// printed or logged as a value (not a pointer) hides the token too; fmt
// prints a nil *RewardsService as <nil> (slog reports a LogValue panic).
func (s RewardsService) String() string {
	switch s.user {
	case userToken:
		return "Rewards.ForUser([redacted])"
	case userTokenSource:
		return "Rewards.ForUserTokenSource(...)"
	case userID:
		return fmt.Sprintf("Rewards.ForUserID(%q)", s.token)
	}
	return "Rewards"
}

// GoString is String, so that %#v shows no token either.
func (s RewardsService) GoString() string { return s.String() }

// LogValue implements slog.LogValuer without the token.
func (s RewardsService) LogValue() slog.Value { return slog.StringValue(s.String()) }

// prepare returns the context and query that make a call act for s's user,
// or the reason it cannot, before anything is sent.
func (s *RewardsService) prepare(ctx context.Context, op string) (context.Context, url.Values, error) {
	b, err := s.client.backend(Monterosa)
	if err != nil {
		return nil, nil, err
	}
	switch s.user {
	case userToken:
		if strings.TrimSpace(s.token) != s.token || s.token == "" || strings.ContainsFunc(s.token, unicode.IsControl) {
			// The token is a secret: say what is wrong, never echo it.
			return nil, nil, inputErr(op, "ForUser token", "is empty or has spaces or control characters")
		}
		return transport.WithAuth(ctx, transport.BearerToken(s.token)), nil, nil
	case userTokenSource:
		if s.source == nil {
			return nil, nil, inputErr(op, "ForUserTokenSource", "the token source is nil")
		}
		return transport.WithAuth(ctx, transport.Bearer{Source: s.source}), nil, nil
	case userID:
		if !b.needsUser {
			return nil, nil, inputErr(op, "ForUserID", "needs a service token (MonterosaConfig.ServiceToken); with a user token, the token names the user: use ForUser")
		}
		if strings.TrimSpace(s.token) == "" {
			return nil, nil, inputErr(op, "ForUserID", "the user id is empty")
		}
		return ctx, url.Values{contract.MonterosaQueryUserID: {s.token}}, nil
	}
	if b.noDefaultUser {
		return nil, nil, inputErr(op, "", "%v", errNoDefaultUser)
	}
	if b.needsUser {
		return nil, nil, inputErr(op, "", "the Client's token is a service token (MonterosaConfig.ServiceToken): name the user with Rewards.ForUserID(id), or call with the user's own token through Rewards.ForUser(token)")
	}
	return ctx, nil, nil
}

// get sends an idempotent GET for s's user and decodes the envelope's data
// into out.
func (s *RewardsService) get(ctx context.Context, op, path string, query url.Values, out any, callOpts []CallOption) (*Response, error) {
	return s.getOnce(ctx, op, path, query, out, true, callOpts)
}

// getOnce is get; a GET that is not idempotent (it changes state, as
// reading notifications does) is retried only when nothing was sent.
func (s *RewardsService) getOnce(ctx context.Context, op, path string, query url.Values, out any, idempotent bool, callOpts []CallOption) (*Response, error) {
	ctx, q, err := s.prepare(ctx, op)
	if err != nil {
		return nil, err
	}
	for k, vs := range query {
		if q == nil {
			q = url.Values{}
		}
		q[k] = vs
	}
	req, err := s.client.request(op, Monterosa, http.MethodGet, path, nil)
	if err != nil {
		return nil, err
	}
	req.Query, req.Idempotent = q, idempotent
	var env monterosaEnvelope
	resp, err := s.client.Do(ctx, req, &env, callOpts...)
	if err != nil {
		return resp, err
	}
	if err := decodeData(env.Data, out); err != nil {
		return resp, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s: decoding data: %w", op, err))
	}
	return resp, nil
}

// Config returns the space's configuration as the user sees it: metric
// definitions, inventory sets and challenges with their missions and
// rewards. The SDK sends the token on this call too (decided; the vendor's
// example sends none).
func (s *RewardsService) Config(ctx context.Context, callOpts ...CallOption) (*RewardsConfig, *Response, error) {
	var c RewardsConfig
	resp, err := s.get(ctx, "Rewards.Config", contract.MonterosaPathConfig, nil, &c, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return &c, resp, nil
}

// Profile returns the user's metrics, inventory and challenge progress. The
// platform creates an empty profile for a user who has none yet.
func (s *RewardsService) Profile(ctx context.Context, callOpts ...CallOption) (*RewardsProfile, *Response, error) {
	var p RewardsProfile
	resp, err := s.get(ctx, "Rewards.Profile", contract.MonterosaPathProfile, nil, &p, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return &p, resp, nil
}

// Notifications returns the user's unread notifications, oldest first.
//
// Reading them marks them read: a notification returned by a successful
// call is not returned again (decided; no acknowledgement endpoint is
// documented). Keep what you need; the full record stays in History.
//
// Since the server marks them read as it answers, the call is sent at most
// once, though it is a GET: neither the SDK nor net/http (which resends a
// GET on a reused connection that broke) sends it again once it may have
// reached the platform, since a second answer would be [] and lose them. A
// failed call may have marked them read all the same (it then matches
// ErrMaybeApplied): on an error other than an *InputError, read what
// happened from History. An
// item that does not decode is returned with what could be read of it and
// its Raw JSON, rather than failing the whole answer; a timestamp that is
// not epoch milliseconds reads as the zero time.
func (s *RewardsService) Notifications(ctx context.Context, callOpts ...CallOption) ([]*RewardsNotification, *Response, error) {
	const op = "Rewards.Notifications"
	var items []json.RawMessage
	resp, err := s.getOnce(ctx, op, contract.MonterosaPathNotifications, nil, &items, false, callOpts)
	if err != nil {
		var ie *InputError
		var e *Error
		if errors.As(err, &ie) || errors.Is(err, ErrNotConfigured) || (errors.As(err, &e) && e.StatusCode < 500) {
			return nil, resp, err // refused: nothing was marked read
		}
		return nil, resp, fmt.Errorf("%w (the notifications may have been marked read: read them from Rewards.History)", err)
	}
	n := make([]*RewardsNotification, 0, len(items))
	for i, b := range items {
		if len(b) == 0 || string(b) == "null" {
			continue
		}
		n = append(n, decodeNotification(resp, i, b))
	}
	return n, resp, nil
}

// Coupon returns the coupon id; an unknown id is ErrNotFound.
func (s *RewardsService) Coupon(ctx context.Context, id string, callOpts ...CallOption) (*RewardsCoupon, *Response, error) {
	const op = "Rewards.Coupon"
	seg, err := pathSegment(op, "id", id)
	if err != nil {
		return nil, nil, err
	}
	var c RewardsCoupon
	resp, err := s.get(ctx, op, contract.MonterosaPathCoupons+seg, nil, &c, callOpts)
	if err != nil {
		return nil, resp, err
	}
	return &c, resp, nil
}

// RewardsHistoryOptions bounds History to a window; both ends inclusive
// (decided), millisecond precision.
type RewardsHistoryOptions struct {
	From time.Time // zero: from the beginning
	To   time.Time // zero: up to now
	// Cursor resumes the listing after the page whose Page.Next it is;
	// From and To must be that listing's.
	Cursor string
}

// History iterates over the user's transactions (completed missions and
// challenges, metric and inventory changes) in the window of opts (nil for
// all), oldest first, fetching pages as the loop goes on; breaking the loop
// stops fetching. With opts.Cursor it resumes after the page whose Next
// that was (see HistoryPages).
func (s *RewardsService) History(ctx context.Context, opts *RewardsHistoryOptions, callOpts ...CallOption) iter.Seq2[*RewardsHistoryItem, error] {
	return items(s.historyPages(ctx, "Rewards.History", opts, callOpts))
}

// HistoryPages is History page by page, with each page's Response and the
// cursor of the next page to resume from (opts.Cursor). A cursor does not
// name the user (a user's token changes from session to session), so
// resume it on a view of the same user: on another it reads that user's
// history from the same point.
func (s *RewardsService) HistoryPages(ctx context.Context, opts *RewardsHistoryOptions, callOpts ...CallOption) iter.Seq2[*Page[*RewardsHistoryItem], error] {
	return s.historyPages(ctx, "Rewards.HistoryPages", opts, callOpts)
}

func (s *RewardsService) historyPages(ctx context.Context, op string, opts *RewardsHistoryOptions, callOpts []CallOption) iter.Seq2[*Page[*RewardsHistoryItem], error] {
	var o RewardsHistoryOptions
	if opts != nil {
		o = *opts
	}
	first, err := newHistoryWindow(op, o)
	if err != nil {
		return failed[*Page[*RewardsHistoryItem]](err)
	}
	l := &listing{op: "Rewards.History", platform: Monterosa, filter: strconv.FormatInt(first.start, 10) + " " + strconv.FormatInt(first.to, 10)}
	if o.Cursor != "" {
		from, err := resume(l, op, o.Cursor, func(from int64) bool {
			return from > max(first.start, 0) && (first.to < 0 || from <= first.to)
		})
		if err != nil {
			return failed[*Page[*RewardsHistoryItem]](err)
		}
		first.from = from
	}
	return pages(ctx, l, first, func(ctx context.Context, w historyWindow) ([]*RewardsHistoryItem, *Response, historyWindow, bool, error) {
		var page []*RewardsHistoryItem
		resp, err := s.get(ctx, op, contract.MonterosaPathHistory, w.query(), &page, callOpts)
		if err != nil {
			return nil, resp, w, false, err
		}
		items, next, more, err := w.next(page)
		return items, resp, next, more, err
	})
}

// historyWindow is the cursor of History: the window still to fetch, and
// the ids the last page returned.
type historyWindow struct {
	from, to int64 // epoch ms; -1: not sent
	start    int64 // the caller's from, which paging moves on
	seen     map[string]bool
}

// MarshalJSON is the window's part of a History cursor: where the next
// page starts. Its ends come from the options, which the cursor is checked
// against; the ids of the last page are not kept, as the next from is past
// them.
func (w historyWindow) MarshalJSON() ([]byte, error) { return json.Marshal(w.from) }

func newHistoryWindow(op string, o RewardsHistoryOptions) (historyWindow, error) {
	w := historyWindow{from: -1, to: -1}
	for _, b := range []struct {
		field string
		t     time.Time
		ms    *int64
	}{{"From", o.From, &w.from}, {"To", o.To, &w.to}} {
		if b.t.IsZero() {
			continue
		}
		if *b.ms = toEpochMillis(b.t); *b.ms < 0 {
			return w, inputErr(op, b.field, "is before 1970, outside the epoch-millisecond range")
		}
	}
	if w.from >= 0 && w.to >= 0 && w.from > w.to {
		return w, inputErr(op, "From", "is after To")
	}
	w.start = w.from
	return w, nil
}

func (w historyWindow) query() url.Values {
	q := url.Values{}
	if w.from >= 0 {
		q.Set(contract.MonterosaQueryFrom, strconv.FormatInt(w.from, 10))
	}
	if w.to >= 0 {
		q.Set(contract.MonterosaQueryTo, strconv.FormatInt(w.to, 10))
	}
	return q
}

// holds reports whether t is in the caller's window; an item without a
// time is kept, since there is nothing to judge it by.
func (w historyWindow) holds(t time.Time) bool {
	if t.IsZero() {
		return true
	}
	ms := toEpochMillis(t)
	return (w.start < 0 || ms >= w.start) && (w.to < 0 || ms <= w.to)
}

// next is the paging rule of the history, all of it (decided): a page holds
// at most MonterosaHistoryPageSize items, oldest first; a full page means
// there may be more, asked for with the same to and from = the last item's
// timestamp + 1; a shorter page is the last, and so is a from past to. An
// item whose id the previous page returned is dropped, and so is one
// outside the window the caller asked for. A full page that
// does not move from forward is an error rather than a loop.
//
// If several items share the last millisecond of a full page and the page
// ends among them, the +1 step skips the rest: the live API's paging is not
// documented, and this function is the one place to change.
func (w historyWindow) next(page []*RewardsHistoryItem) ([]*RewardsHistoryItem, historyWindow, bool, error) {
	items := make([]*RewardsHistoryItem, 0, len(page))
	seen := make(map[string]bool, len(page))
	for _, it := range page {
		if it == nil || w.seen[it.ID] || seen[it.ID] {
			continue
		}
		seen[it.ID] = true
		if !w.holds(it.Timestamp) {
			continue // the server's answer is not trusted to keep to the window
		}
		items = append(items, it)
	}
	if len(page) < contract.MonterosaHistoryPageSize {
		return items, w, false, nil
	}
	last := page[len(page)-1]
	if last == nil {
		return items, w, false, fmt.Errorf("loyalty: Rewards.History: a full page ended with null")
	}
	from := toEpochMillis(last.Timestamp) + 1
	if from <= w.from {
		return items, w, false, fmt.Errorf("loyalty: Rewards.History: a full page ended at %d, before its from %d: the server's paging does not advance", from-1, w.from)
	}
	next := historyWindow{from: from, to: w.to, start: w.start, seen: seen}
	return items, next, w.to < 0 || next.from <= w.to, nil
}

// RewardsAction is a rewardable action reported by ReportAction.
type RewardsAction struct {
	// Name is the action, e.g. "video_watched"; required (decided, though
	// the docs mark it optional).
	Name string
	// Data holds the action's flat properties: strings of at most 1024
	// characters (Unicode code points), numbers (any Go integer or float
	// type, or json.Number) and booleans. Nested values and nil are
	// refused (decided).
	Data map[string]any
}

// ReportAction reports a rewardable action for the user; the platform
// decides what it earns. The documented success is 200 with no body.
//
// The platform does not de-duplicate actions, so the call is not
// idempotent: it is retried only on 429 and on connection errors before
// the request is written, and an error matching ErrMaybeApplied means it
// may have counted; retrying then may count it twice.
func (s *RewardsService) ReportAction(ctx context.Context, a RewardsAction, callOpts ...CallOption) (*Response, error) {
	const op = "Rewards.ReportAction"
	if strings.TrimSpace(a.Name) == "" {
		return nil, inputErr(op, "Name", "is required")
	}
	if err := checkActionData(op, a.Data); err != nil {
		return nil, err
	}
	ctx, q, err := s.prepare(ctx, op)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, op, Monterosa, http.MethodPost, contract.MonterosaPathAction, q, monterosaAction{Action: a.Name, Data: a.Data}, nil, callOpts...)
}

// checkActionData enforces the documented 1024-character limit of string
// values, counted in code points (decided), and the flat shape (decided).
func checkActionData(op string, data map[string]any) error {
	for k, v := range data {
		field := fmt.Sprintf("Data[%q]", k)
		if n, ok := v.(json.Number); ok {
			if !validJSONNumber(n) {
				return inputErr(op, field, "json.Number %q is not a JSON number", string(n))
			}
			continue
		}
		if _, ok := v.(json.Marshaler); ok {
			return inputErr(op, field, "is a %T, whose JSON may not be flat; only strings, numbers and booleans are allowed", v)
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.String:
			s := rv.String()
			if !utf8.ValidString(s) {
				return inputErr(op, field, "is not valid UTF-8")
			}
			if n := utf8.RuneCountInString(s); n > contract.MonterosaMaxStringLen {
				return inputErr(op, field, "has %d characters; the limit is %d", n, contract.MonterosaMaxStringLen)
			}
		case reflect.Float32, reflect.Float64:
			if f := rv.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				return inputErr(op, field, "%v is not a JSON number", f)
			}
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		default:
			return inputErr(op, field, "is %T; only strings, numbers and booleans are allowed", v)
		}
	}
	return nil
}

// RewardsConfig is the space's configuration as a user sees it.
type RewardsConfig struct {
	Metrics    []Metric       `json:"metrics"`
	Inventory  []InventorySet `json:"inventory"`
	Challenges []Challenge    `json:"challenges"`
	// Raw is the configuration as received, for fields not modelled here.
	Raw json.RawMessage `json:"-"`
}

// Metric defines a numeric per-user value: points, XP and the like.
type Metric struct {
	ID           string  `json:"id"` // the key in RewardsProfile.Metrics
	Title        string  `json:"title"`
	Media        string  `json:"media"` // e.g. an image URL
	DefaultValue float64 `json:"defaultValue"`
	MinimumValue float64 `json:"minimumValue"`
	MaximumValue float64 `json:"maximumValue"`
}

// InventorySet is a set of items a user can own.
type InventorySet struct {
	ID    string          `json:"id"`
	Title string          `json:"title"`
	Items []InventoryItem `json:"items"`
}

// InventoryItem is one item of an inventory set.
type InventoryItem struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Media string `json:"media"`
}

// Challenge groups missions and grants its rewards when completed.
type Challenge struct {
	ID            string               `json:"id"`
	Title         string               `json:"title"`
	Subtitle      string               `json:"subtitle"`
	Notification  NotificationTemplate `json:"notification"`
	ShowInProfile bool                 `json:"showInProfile"`
	ShowInRail    bool                 `json:"showInRail"`
	Time          ChallengeTime        `json:"time"`
	Missions      []Mission            `json:"missions"`
	Rewards       []ChallengeReward    `json:"rewards"`
	// Raw is the challenge as received.
	Raw json.RawMessage `json:"-"`
}

// ChallengeTime is when a challenge runs; a zero From or To is no bound.
type ChallengeTime struct {
	ShowInUI bool
	From, To time.Time
}

// Mission is one step of a challenge.
type Mission struct {
	ID           string               `json:"id"`
	Title        string               `json:"title"`
	Type         string               `json:"type"` // open string
	Notification NotificationTemplate `json:"notification"`
}

// NotificationTemplate is what a user is told when a mission or challenge
// completes.
type NotificationTemplate struct {
	Display NotificationDisplay `json:"display"`
	Title   string              `json:"title"`
	Message string              `json:"message"`
}

// NotificationDisplay is how a notification is shown: an open string, so
// values other than the constants are kept as they come.
type NotificationDisplay string

// Known NotificationDisplay values (documented examples).
const (
	DisplayNone  NotificationDisplay = "none"
	DisplayToast NotificationDisplay = "toast"
)

// ChallengeReward is granted when its challenge completes: a metric
// increment (MetricID, MetricQuantity) or an inventory item
// (InventorySetID, InventoryItemID). Fields of the other kind are empty.
type ChallengeReward struct {
	Type            ChallengeRewardType `json:"type"`
	MetricID        string              `json:"metricId"`
	MetricQuantity  float64             `json:"metricQuantity"`
	InventorySetID  string              `json:"inventorySetId"`
	InventoryItemID string              `json:"inventoryItemId"`
}

// ChallengeRewardType is the kind of a reward: an open string.
type ChallengeRewardType string

// Known ChallengeRewardType values.
const (
	ChallengeRewardMetric    ChallengeRewardType = "metric"    // documented
	ChallengeRewardInventory ChallengeRewardType = "inventory" // decided, from the inventory fields
)

// RewardsProfile is a user's state.
type RewardsProfile struct {
	// Metrics maps a metric id to its value; a metric not present has its
	// default value (see MetricValue).
	Metrics map[string]float64 `json:"metrics"`
	// Inventory maps an inventory set id to the ids of the items owned.
	Inventory map[string][]string `json:"inventory"`
	// Challenges maps a challenge id to the user's progress in it.
	Challenges map[string]ChallengeProgress `json:"challenges"`
	// Raw is the profile as received.
	Raw json.RawMessage `json:"-"`
}

// ChallengeProgress is a user's progress in one challenge.
type ChallengeProgress struct {
	IsCompleted       bool     `json:"isCompleted"`
	MissionsCompleted []string `json:"missionsCompleted"` // mission ids
}

// MetricValue returns the user's value of metric id: the profile's, or the
// metric's DefaultValue in cfg when the profile has none (decided: a
// missing metric reads as its default). ok is false when neither has it.
func (p *RewardsProfile) MetricValue(cfg *RewardsConfig, id string) (v float64, ok bool) {
	if v, ok := p.Metrics[id]; ok {
		return v, true
	}
	if cfg != nil {
		for _, m := range cfg.Metrics {
			if m.ID == id {
				return m.DefaultValue, true
			}
		}
	}
	return 0, false
}

// RewardsEventType is the kind of a notification or history item: an open
// string, so values other than the constants are kept as they come.
type RewardsEventType string

// Known RewardsEventType values.
const (
	RewardsChallengeCompleted RewardsEventType = "challengeCompleted" // documented example
	RewardsMissionCompleted   RewardsEventType = "missionCompleted"   // decided
)

// RewardsNotification is an unread, user-facing message.
type RewardsNotification struct {
	ID        string              `json:"id"`
	Timestamp time.Time           `json:"-"` // epoch milliseconds on the wire
	Type      RewardsEventType    `json:"type"`
	Display   NotificationDisplay `json:"display"`
	Title     string              `json:"title"`
	Message   string              `json:"message"`
	Payload   RewardsPayload      `json:"payload"`
	// Raw is the notification as received.
	Raw json.RawMessage `json:"-"`
}

// RewardsHistoryItem is one transaction of the user's history. Unlike a
// notification it has no display, title or message (documented).
type RewardsHistoryItem struct {
	ID        string           `json:"id"`
	Timestamp time.Time        `json:"-"` // epoch milliseconds on the wire
	Type      RewardsEventType `json:"type"`
	Payload   RewardsPayload   `json:"payload"`
	// Raw is the item as received.
	Raw json.RawMessage `json:"-"`
}

// RewardsPayload is what a notification or history item is about and what
// changed. Members that do not apply are empty.
type RewardsPayload struct {
	ChallengeID      string                     `json:"challengeId"`
	MissionID        string                     `json:"missionId"`
	MetricChanges    map[string]MetricChange    `json:"metricChanges"` // by metric id
	InventoryChanges InventoryChanges           `json:"inventoryChanges"`
	MilestoneChanges map[string]MilestoneChange `json:"milestoneChanges"` // by milestone set id
}

// MetricChange is a metric's value before and after.
type MetricChange struct {
	OldValue float64 `json:"oldValue"`
	NewValue float64 `json:"newValue"`
}

// InventoryChanges lists the items received and lost.
type InventoryChanges struct {
	Received []InventoryRef `json:"received"`
	Lost     []InventoryRef `json:"lost"`
}

// InventoryRef names an item of an inventory set.
type InventoryRef struct {
	SetID  string `json:"setId"`
	ItemID string `json:"itemId"`
}

// MilestoneChange is a move from one milestone id to another; OldValue is
// empty when there was no earlier milestone.
type MilestoneChange struct {
	OldValue string `json:"oldValue"`
	NewValue string `json:"newValue"`
}

// RewardsCoupon is a coupon. The wire mixes camelCase and snake_case; so
// does the vendor.
type RewardsCoupon struct {
	ID                 string `json:"id"`
	Title              string `json:"title"`
	Link               string `json:"link"`
	CouponID           string `json:"coupon_id"`
	CouponType         string `json:"coupon_type"`
	CouponCode         string `json:"coupon_code"`
	ShowOnNotification bool   `json:"showOnNotification"`
	// Raw is the coupon as received.
	Raw json.RawMessage `json:"-"`
}
