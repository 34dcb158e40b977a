package loyalty_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestPrivacyRequests(t *testing.T) {
	email := url.Values{"email": {"ana+gdpr@example.com"}}
	m := newPlatformMock(t,
		// The answer is {has_data} (https://loyaltyapi.yotpo.com/reference/data-exists).
		exchange{Method: http.MethodGet, Path: "/privacy/data/exists", Query: email, Resp: `{"has_data": true, "stores": 2}`},
		exchange{Method: http.MethodGet, Path: "/privacy/data", Query: email, Resp: `{}`},
		// DELETE takes its fields in the body (https://loyaltyapi.yotpo.com/reference/anonymize-user).
		exchange{Method: http.MethodDelete, Path: "/privacy/data", Body: `{"email":"ana+gdpr@example.com"}`, Resp: `{}`},
		exchange{Method: http.MethodDelete, Path: "/privacy/data", Body: `{"email":"ana+gdpr@example.com","all_stores":true}`, Resp: `{}`},
		exchange{Method: http.MethodGet, Path: "/privacy/data/exists", Query: email, Resp: `{"has_data": false}`},
	)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	const addr = "ana+gdpr@example.com"
	exists, _, err := c.Privacy.DataExists(ctx, addr)
	require.NoError(t, err)
	assert.True(t, exists)
	_, err = c.Privacy.RequestData(ctx, addr)
	require.NoError(t, err)
	_, err = c.Privacy.Anonymize(ctx, addr, nil)
	require.NoError(t, err)
	_, err = c.Privacy.Anonymize(ctx, addr, &loyalty.AnonymizeOptions{AllStores: true})
	require.NoError(t, err)
	exists, _, err = c.Privacy.DataExists(ctx, addr)
	require.NoError(t, err)
	assert.False(t, exists)

	var ie *loyalty.InputError
	_, err = c.Privacy.Anonymize(ctx, "nobody", nil)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "email", ie.Field)
}

func TestPrivacyRequestDataIsNotRetried(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/privacy/data",
		Query: url.Values{"email": {"ana@example.com"}}, Status: http.StatusServiceUnavailable})
	_, err := m.client(loyalty.Yotpo).Privacy.RequestData(context.Background(), "ana@example.com")
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Len(t, m.requests(), 1, "a retry could e-mail the person again")
}
