package loyalty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/transport"
)

// MonterosaConfig configures WithMonterosa.
type MonterosaConfig struct {
	// BaseURL is the space domain, e.g. https://fans.example-club.com.
	// It has no default.
	BaseURL string
	// TokenSource supplies the Monterosa access token (a JWT issued by
	// Monterosa) sent as a Bearer token. The SDK never mints or refreshes
	// tokens; a 401 is returned to the caller.
	//
	// It may be nil for a back end that only acts per fan: every Rewards
	// call must then go through Rewards.ForUser or ForUserTokenSource, and
	// a call without one (or a raw Client.Do) fails before sending.
	TokenSource oauth2.TokenSource
	// ServiceToken says that TokenSource gives a service token, which a
	// trusted back end holds and which may act for any user, so the user id
	// must be passed
	// (https://products.monterosa.co/mic/reference/audience-api-preview/authentication/monterosa-access-token).
	// Every Rewards call must then name its user with Rewards.ForUserID (or
	// use a user's own token with Rewards.ForUser); a call that names none
	// fails before sending. It needs a TokenSource.
	ServiceToken bool
}

// WithMonterosa configures the Monterosa Loyalty API (config, profile,
// notifications, history, coupons, actions), served by Client.Rewards.
func WithMonterosa(cfg MonterosaConfig) Option {
	return func(s *settings) error {
		const opt = "WithMonterosa"
		if cfg.BaseURL == "" {
			return fmt.Errorf("%s: BaseURL (the space domain) is required", opt)
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, ""); err != nil {
			return err
		}
		if cfg.TokenSource == nil && cfg.ServiceToken {
			return fmt.Errorf("%s: ServiceToken says TokenSource gives a service token, but TokenSource is nil", opt)
		}
		s.monterosa = &cfg
		return nil
	}
}

func (cfg *MonterosaConfig) backend(s *settings) *backend {
	var auth transport.Authenticator = transport.Bearer{Source: cfg.TokenSource}
	if cfg.TokenSource == nil {
		auth = noDefaultUser{}
	}
	b := newBackend(Monterosa, cfg.BaseURL, s, auth, nil, transport.Policy{ServerRetryable: anyServerError})
	b.needsUser = cfg.ServiceToken
	b.noDefaultUser = cfg.TokenSource == nil
	return b
}

// noDefaultUser is the authentication of a Monterosa Client without a
// TokenSource: a call that names no user is refused before it is sent.
type noDefaultUser struct{}

// errNoDefaultUser says how to name the user.
var errNoDefaultUser = errors.New("the Client has no default user (MonterosaConfig.TokenSource is nil): call through Rewards.ForUser(token) or Rewards.ForUserTokenSource(ts)")

func (noDefaultUser) Authenticate(*http.Request) error { return errNoDefaultUser }

// The wire form of the Monterosa Loyalty API
// (https://products.monterosa.co/mic/reference/audience-api-preview/loyalty-api):
// the success envelope, epoch-millisecond times, and the decoding of the
// response objects that carry times or keep their raw JSON.

// monterosaEnvelope is the documented success envelope {"message", "data"}.
type monterosaEnvelope struct {
	Data json.RawMessage `json:"data"`
}

// decodeData decodes an envelope's data into v; absent or null data leaves
// v as it is.
func decodeData(data json.RawMessage, v any) error {
	if len(data) == 0 || bytes.Equal(data, []byte("null")) {
		return nil
	}
	return json.Unmarshal(data, v)
}

// epochMillis is a time on the wire: integer epoch milliseconds, UTC (unit
// decided; the docs say "integer · timestamp"). A float or a quoted number
// is accepted too; 0 and null mean no time.
type epochMillis int64

func (m *epochMillis) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "null" || s == "" {
		*m = 0
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*m = epochMillis(n)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is not epoch milliseconds", b)
	}
	*m = epochMillis(f)
	return nil
}

func (m epochMillis) time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

func toEpochMillis(t time.Time) int64 { return t.UnixMilli() }

func keepRaw(b []byte) json.RawMessage { return append(json.RawMessage(nil), b...) }

// UnmarshalJSON decodes the wire form and keeps it in Raw.
func (c *RewardsConfig) UnmarshalJSON(b []byte) error {
	type plain RewardsConfig
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	c.Raw = keepRaw(b)
	return nil
}

// UnmarshalJSON decodes the wire form and keeps it in Raw.
func (ch *Challenge) UnmarshalJSON(b []byte) error {
	type plain Challenge
	if err := json.Unmarshal(b, (*plain)(ch)); err != nil {
		return err
	}
	ch.Raw = keepRaw(b)
	return nil
}

// UnmarshalJSON decodes from and to, epoch milliseconds where 0 or absent
// means no bound (decided).
func (t *ChallengeTime) UnmarshalJSON(b []byte) error {
	var w struct {
		ShowInUI bool        `json:"showInUI"`
		From     epochMillis `json:"from"`
		To       epochMillis `json:"to"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*t = ChallengeTime{ShowInUI: w.ShowInUI, From: w.From.time(), To: w.To.time()}
	return nil
}

// UnmarshalJSON decodes the wire form and keeps it in Raw.
func (p *RewardsProfile) UnmarshalJSON(b []byte) error {
	type plain RewardsProfile
	if err := json.Unmarshal(b, (*plain)(p)); err != nil {
		return err
	}
	p.Raw = keepRaw(b)
	return nil
}

// UnmarshalJSON decodes the wire form, timestamp in epoch milliseconds,
// and keeps it in Raw. A timestamp that is not epoch milliseconds reads as
// the zero time: the server has marked the notification read, so losing it
// over its time would lose it for good.
func (n *RewardsNotification) UnmarshalJSON(b []byte) error {
	type plain RewardsNotification
	w := struct {
		*plain
		Timestamp json.RawMessage `json:"timestamp"`
	}{plain: (*plain)(n)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var ms epochMillis
	if len(w.Timestamp) > 0 && ms.UnmarshalJSON(w.Timestamp) != nil {
		ms = 0
	}
	n.Timestamp, n.Raw = ms.time(), keepRaw(b)
	return nil
}

// decodeNotification decodes notification i of the answer's data; one
// that does not decode keeps what can be read of it (id, type) and its Raw
// JSON. Either loss is a decode issue on resp.
func decodeNotification(resp *Response, i int, b json.RawMessage) *RewardsNotification {
	at := "data[" + strconv.Itoa(i) + "]"
	n := new(RewardsNotification)
	err := json.Unmarshal(b, n)
	if err == nil {
		if n.Timestamp.IsZero() && !zeroMillis(b) {
			resp.addDecodeIssue(at+".timestamp", "want epoch milliseconds")
		}
		return n
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		got, _, _ := strings.Cut(te.Value, " ") // "number 12": the kind, never the value
		resp.addDecodeIssue(at+"."+strings.TrimPrefix(te.Field, "plain."), "want "+te.Type.Kind().String()+", got "+got+"; only id, type and Raw kept")
	} else {
		resp.addDecodeIssue(at, "not a notification; only id, type and Raw kept")
	}
	var id struct {
		ID   json.RawMessage `json:"id"`
		Type json.RawMessage `json:"type"`
	}
	_ = json.Unmarshal(b, &id) // best effort
	n = &RewardsNotification{Raw: keepRaw(b)}
	_ = json.Unmarshal(id.ID, &n.ID)
	_ = json.Unmarshal(id.Type, &n.Type)
	return n
}

// zeroMillis reports whether a notification's timestamp is absent or zero
// (no time) rather than unreadable.
func zeroMillis(b []byte) bool {
	var w struct {
		Timestamp json.RawMessage `json:"timestamp"`
	}
	_ = json.Unmarshal(b, &w)
	var ms epochMillis
	return len(w.Timestamp) == 0 || ms.UnmarshalJSON(w.Timestamp) == nil
}

// UnmarshalJSON decodes the wire form, timestamp in epoch milliseconds,
// and keeps it in Raw.
func (h *RewardsHistoryItem) UnmarshalJSON(b []byte) error {
	type plain RewardsHistoryItem
	w := struct {
		*plain
		Timestamp epochMillis `json:"timestamp"`
	}{plain: (*plain)(h)}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	h.Timestamp, h.Raw = w.Timestamp.time(), keepRaw(b)
	return nil
}

// UnmarshalJSON decodes the wire form and keeps it in Raw.
func (c *RewardsCoupon) UnmarshalJSON(b []byte) error {
	type plain RewardsCoupon
	if err := json.Unmarshal(b, (*plain)(c)); err != nil {
		return err
	}
	c.Raw = keepRaw(b)
	return nil
}

// monterosaAction is the body of POST /api/loyalty/action; data is omitted
// when empty (decided).
type monterosaAction struct {
	Action string         `json:"action"`
	Data   map[string]any `json:"data,omitempty"`
}
