package loyalty_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// qualifioStub is a token endpoint and an API that accepts only the latest
// token it issued.
type qualifioStub struct {
	srv       *httptest.Server
	fetches   atomic.Int32
	calls     atomic.Int32
	expiresIn int
	basicOK   bool // accept client auth as a Basic header (else only form fields)

	mu     sync.Mutex
	valid  map[string]bool
	reject bool     // answer 401 to every API call
	bodies []string // of every API call, in order
}

func newQualifioStub(t *testing.T, expiresIn int) *qualifioStub {
	q := &qualifioStub{expiresIn: expiresIn, basicOK: true, valid: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		id, secret, basic := r.BasicAuth()
		if !basic {
			id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
		}
		if (basic && !q.basicOK) || id != "cid" || secret != "csecret" || r.PostFormValue("grant_type") != "client_credentials" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_client","error_description":"Invalid client credentials"}`)
			return
		}
		n := q.fetches.Add(1)
		tok := fmt.Sprintf("tok-%d", n)
		q.mu.Lock()
		q.valid[tok] = true
		q.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":%d,"not-before-policy":0}`, tok, q.expiresIn)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		q.calls.Add(1)
		body, _ := io.ReadAll(r.Body)
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		q.mu.Lock()
		q.bodies = append(q.bodies, string(body))
		ok := q.valid[tok] && !q.reject
		q.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"unauthorized","message":"token expired"}`)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"token": tok})
	})
	q.srv = httptest.NewServer(mux)
	t.Cleanup(q.srv.Close)
	return q
}

func (q *qualifioStub) revokeAll() {
	q.mu.Lock()
	clear(q.valid)
	q.mu.Unlock()
}

func (q *qualifioStub) client(t *testing.T, opts ...loyalty.Option) *loyalty.Client {
	all := append([]loyalty.Option{loyalty.WithQualifio(loyalty.QualifioConfig{
		ClientID: "cid", ClientSecret: "csecret", BaseURL: q.srv.URL + "/api", TokenURL: q.srv.URL + "/token",
	}), loyalty.WithRetryPolicy(fastRetry)}, opts...)
	c, err := loyalty.NewClient(all...)
	require.NoError(t, err)
	return c
}

func qualifioGet(c *loyalty.Client) (string, error) {
	req, err := c.NewRequest(loyalty.Qualifio, http.MethodGet, "/management/members/m-1", nil)
	if err != nil {
		return "", err
	}
	var out struct{ Token string }
	_, err = c.Do(context.Background(), req, &out)
	return out.Token, err
}

func TestQualifioTokenFetchedOnceForManyCalls(t *testing.T) {
	q := newQualifioStub(t, 3600)
	c := q.client(t)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := qualifioGet(c)
			assert.NoError(t, err)
			assert.Equal(t, "tok-1", tok)
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), q.fetches.Load(), "20 concurrent calls share one token")
}

func TestQualifioTokenRefreshedAfterExpiry(t *testing.T) {
	q := newQualifioStub(t, 1) // one second; renewed at half-life
	c := q.client(t)
	tok, err := qualifioGet(c)
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok)
	time.Sleep(600 * time.Millisecond)
	tok, err = qualifioGet(c)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", tok)
	assert.Equal(t, int32(2), q.fetches.Load())
}

func TestQualifio401RefetchesTokenOnce(t *testing.T) {
	q := newQualifioStub(t, 3600)
	c := q.client(t)
	_, err := qualifioGet(c)
	require.NoError(t, err)
	q.revokeAll() // the server forgets tok-1 before it expires
	tok, err := qualifioGet(c)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", tok)
	assert.Equal(t, int32(2), q.fetches.Load())
	assert.Equal(t, int32(3), q.calls.Load(), "one call, one 401, one replay")

	// A 401 that a fresh token does not cure is returned after one replay.
	q.mu.Lock()
	q.reject = true
	q.mu.Unlock()
	q.calls.Store(0)
	_, err = qualifioGet(c)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, loyalty.ErrUnauthorized)
	assert.Equal(t, "unauthorized", e.Code)
	assert.Equal(t, "token expired", e.Message)
	assert.Equal(t, int32(2), q.calls.Load())
	assert.Equal(t, int32(3), q.fetches.Load())
}

func TestQualifioTokenFallsBackToFormAuth(t *testing.T) {
	q := newQualifioStub(t, 3600)
	q.basicOK = false
	tok, err := qualifioGet(q.client(t))
	require.NoError(t, err)
	assert.Equal(t, "tok-1", tok)
}

func TestQualifioBadCredentialsIsTypedError(t *testing.T) {
	q := newQualifioStub(t, 3600)
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{
		ClientID: "cid", ClientSecret: "wrong-secret", BaseURL: q.srv.URL + "/api", TokenURL: q.srv.URL + "/token",
	}))
	require.NoError(t, err)
	_, err = qualifioGet(c)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, loyalty.Qualifio, e.Platform)
	assert.Equal(t, http.StatusUnauthorized, e.StatusCode)
	assert.Equal(t, "invalid_client", e.Code)
	assert.ErrorIs(t, err, loyalty.ErrUnauthorized)
	assert.Equal(t, int32(0), q.calls.Load(), "no API call without a token")
	assert.NotContains(t, err.Error(), "wrong-secret")
}

func TestQualifio401ReplaysPostWithSameBody(t *testing.T) {
	q := newQualifioStub(t, 3600)
	c := q.client(t)
	_, err := qualifioGet(c)
	require.NoError(t, err)
	q.revokeAll()
	req, err := c.NewRequest(loyalty.Qualifio, http.MethodPost, "/ingestor/events", map[string]string{"id": "evt-1"})
	require.NoError(t, err)
	var out struct{ Token string }
	_, err = c.Do(context.Background(), req, &out)
	require.NoError(t, err)
	assert.Equal(t, "tok-2", out.Token)
	assert.Equal(t, int32(3), q.calls.Load(), "GET, then the POST's 401 and its replay")
	q.mu.Lock()
	defer q.mu.Unlock()
	assert.Equal(t, []string{"", `{"id":"evt-1"}`, `{"id":"evt-1"}`}, q.bodies, "the replay sends the same bytes")
}

// A wrong secret (400 unauthorized_client: the credentials were read) is
// asked once, not once per event: no Basic→form retry, the refusal is
// remembered, and a batch stops starting sends once the token endpoint
// refused it.
func TestQualifioWrongSecretDoesNotFloodTheTokenEndpoint(t *testing.T) {
	var tokens, api atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}`)
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) { api.Add(1) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "wrong",
		BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/token"}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	events := make([]loyalty.Event, 200)
	for i := range events {
		events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, Email: fmt.Sprintf("fan%d@example.com", i)}
	}
	res, err := c.Events.SendBatch(context.Background(), events, nil)
	require.NoError(t, err)
	var refused, notAttempted int
	for _, r := range res {
		var e *loyalty.Error
		switch {
		case errors.Is(r.Err, loyalty.ErrNotAttempted):
			notAttempted++
		case errors.As(r.Err, &e):
			assert.Equal(t, "unauthorized_client", e.Code)
			refused++
		default:
			t.Fatalf("unexpected result %+v", r)
		}
	}
	assert.Equal(t, 200, refused+notAttempted, "every event accounted for")
	assert.GreaterOrEqual(t, refused, 1)
	assert.LessOrEqual(t, refused, loyalty.DefaultBatchConcurrency, "no send started after the refusal")
	assert.Equal(t, int32(1), tokens.Load(), "one token request for the whole batch")
	assert.Zero(t, api.Load())
}
