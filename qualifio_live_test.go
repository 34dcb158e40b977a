//go:build live

package loyalty_test

// Qualifio contract tests against a real account or against
// `go run ./cmd/loyaltyfake` (export the variables its banner prints):
//
//	go test -tags live -run Live ./...

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func liveQualifioClient(t *testing.T) *loyalty.Client {
	t.Helper()
	env := liveEnv(t, "QUALIFIO_CLIENT_ID", "QUALIFIO_CLIENT_SECRET", "QUALIFIO_BASE_URL", "QUALIFIO_TOKEN_URL")
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{
		ClientID: env["QUALIFIO_CLIENT_ID"], ClientSecret: env["QUALIFIO_CLIENT_SECRET"],
		BaseURL: env["QUALIFIO_BASE_URL"], TokenURL: env["QUALIFIO_TOKEN_URL"],
	}), liveDecodeIssues(t))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections) // the server outlives the test: leave no keep-alive reader behind
	return c
}

// The member and event flow: create, purchase (sent twice with one id),
// update, lookup, delete, then 404. It creates a member with a unique
// example.com identity and deletes it.
func TestQualifioLive(t *testing.T) {
	c := liveQualifioClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	tag := fmt.Sprintf("loyalty-go-live-%d", time.Now().UnixNano())
	email, customerID := tag+"@example.com", tag

	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: email, CustomerID: customerID, Firstname: "Live",
		Custom: map[string]any{"source": "loyalty-go live test"}})
	require.NoError(t, err)
	require.NotEmpty(t, m.ID)
	deleted := false
	t.Cleanup(func() {
		if !deleted {
			_, _ = c.Members.Delete(context.Background(), m.ID)
		}
	})

	purchase := loyalty.Event{Type: loyalty.EventPurchase, Email: email, CustomerID: customerID,
		Tags:     map[string]string{"channel": "live-test"},
		Purchase: &loyalty.Purchase{OrderID: tag, Amount: loyalty.NewMoney(4990, "EUR")}}
	id, _, err := c.Events.Send(ctx, purchase)
	require.NoError(t, err)
	purchase.ID = id
	again, _, err := c.Events.Send(ctx, purchase)
	require.NoError(t, err, "the same id is accepted again (and processed once)")
	assert.Equal(t, id, again)
	_, _, err = c.Events.Send(ctx, loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: customerID, Counters: map[string]float64{"visits": 1}})
	require.NoError(t, err)

	up, _, err := c.Members.Update(ctx, m.ID, loyalty.MemberUpdate{Firstname: loyalty.ClearField[string](), Lastname: loyalty.SetTo("Test"),
		Custom: map[string]any{"source": nil, "run": tag}})
	require.NoError(t, err)
	assert.Equal(t, "Test", up.Lastname)
	assert.Empty(t, up.Firstname)
	assert.Equal(t, tag, up.Custom["run"])
	assert.NotContains(t, up.Custom, "source")

	found, _, err := c.Members.Lookup(ctx, loyalty.ByEmail(strings.ToUpper(email[:1])+email[1:]))
	require.NoError(t, err, "emails compare case-insensitively")
	assert.Equal(t, m.ID, found.ID)
	found, _, err = c.Members.Lookup(ctx, loyalty.ByID(customerID))
	require.NoError(t, err)
	assert.Equal(t, m.ID, found.ID)

	_, _, err = c.Members.Create(ctx, loyalty.MemberInput{Email: email})
	assert.ErrorIs(t, err, loyalty.ErrConflict)

	_, err = c.Members.Delete(ctx, m.ID)
	require.NoError(t, err)
	deleted = true
	_, _, err = c.Members.Get(ctx, m.ID)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// One mapped event to the integration QUALIFIO_MAPPED_ID, authenticated as
// QUALIFIO_MAPPED_AUTH says: bearer, header:NAME, query:NAME, hub (sha256)
// or hub-sha1, with QUALIFIO_MAPPED_SECRET as token or key.
func TestQualifioMappedLive(t *testing.T) {
	env := liveEnv(t, "QUALIFIO_MAPPED_ID", "QUALIFIO_MAPPED_AUTH")
	c := liveQualifioClient(t)
	auth, err := liveMappedAuth(env["QUALIFIO_MAPPED_AUTH"], liveOptional("QUALIFIO_MAPPED_SECRET"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	body := fmt.Sprintf(`{"source":"loyalty-go live test","at":%q}`, time.Now().UTC().Format(time.RFC3339))
	_, _, err = c.Events.SendMapped(ctx, env["QUALIFIO_MAPPED_ID"], []byte(body), auth)
	require.NoError(t, err)
}

func liveMappedAuth(mode, secret string) (loyalty.MappedAuth, error) {
	kind, name, _ := strings.Cut(mode, ":")
	if kind != "bearer" && secret == "" {
		return loyalty.MappedAuth{}, errors.New("QUALIFIO_MAPPED_SECRET is required for QUALIFIO_MAPPED_AUTH=" + kind)
	}
	switch kind {
	case "bearer":
		return loyalty.MappedBearer(), nil
	case "header":
		return loyalty.MappedHeader(name, secret), nil
	case "query":
		return loyalty.MappedQuery(name, secret), nil
	case "hub":
		return loyalty.MappedHubSignature(secret), nil
	case "hub-sha1":
		return loyalty.MappedHubSignatureSHA1(secret), nil
	}
	return loyalty.MappedAuth{}, fmt.Errorf("QUALIFIO_MAPPED_AUTH=%q: want bearer, header:NAME, query:NAME, hub or hub-sha1", mode)
}
