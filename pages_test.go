package loyalty_test

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// crashAndResume reads pages from start until it has n of them, keeps the
// last page's Next as a crashed sync would have stored it, and reads the
// rest with resume(cursor). It returns the ids of both runs in order, and
// how many requests the resumed run sent.
func crashAndResume[T any](t *testing.T, srv *loyaltytest.Server, n int, id func(T) string,
	start func() iter.Seq2[*loyalty.Page[T], error], resume func(cursor string) iter.Seq2[*loyalty.Page[T], error]) (before, after []string, resumedRequests int) {
	t.Helper()
	var cursor string
	got := 0
	for p, err := range start() {
		require.NoError(t, err)
		require.NotNil(t, p.Response, "every page carries its Response")
		assert.Equal(t, 200, p.Response.StatusCode)
		for _, it := range p.Items {
			before = append(before, id(it))
		}
		cursor = p.Next
		if got++; got == n {
			break // the crash: the stored cursor is page n's
		}
	}
	require.Equal(t, n, got, "the listing has more than %d pages", n)
	require.NotEmpty(t, cursor)
	sent := len(srv.Requests())
	var last *loyalty.Page[T]
	for p, err := range resume(cursor) {
		require.NoError(t, err)
		for _, it := range p.Items {
			after = append(after, id(it))
		}
		last = p
	}
	require.NotNil(t, last)
	assert.Empty(t, last.Next, "the last page has no next cursor")
	return before, after, len(srv.Requests()) - sent
}

// union checks that before and after together are want, in order: no gap,
// no duplicate.
func union(t *testing.T, want, before, after []string) {
	t.Helper()
	assert.Equal(t, want, append(append([]string{}, before...), after...))
	seen := map[string]bool{}
	for _, id := range append(before, after...) {
		assert.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
	}
}

func customerIDs(t *testing.T, seq iter.Seq2[*loyalty.Customer, error]) []string {
	t.Helper()
	var ids []string
	for c, err := range seq {
		require.NoError(t, err)
		ids = append(ids, c.Email)
	}
	return ids
}

func seedNumbered(t *testing.T, c *loyalty.Client, n int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("C-%02d", i)
		_, _, err := c.Customers.Upsert(context.Background(), loyalty.CustomerInput{ID: id, Email: id + "@example.com"})
		require.NoError(t, err)
	}
}

func email(c *loyalty.Customer) string { return c.Email }

// A sync that crashed after page 2 of Customers.List resumes from page 2's
// cursor: it fetches exactly the pages after it, and the two runs together
// are the whole list, on both commerce platforms.
func TestCustomersListPagesResume(t *testing.T) {
	for _, p := range []loyalty.Platform{loyalty.Yotpo, loyalty.InfluenceIO} {
		t.Run(string(p), func(t *testing.T) {
			srv := loyaltytest.New(t)
			c := srv.ClientFor(p)
			ctx := context.Background()
			seedNumbered(t, c, 9) // pages of 2: 2, 2, 2, 2, 1
			opts := &loyalty.CustomerListOptions{PerPage: 2}
			want := customerIDs(t, c.Customers.List(ctx, opts))
			require.Len(t, want, 9)

			before, after, sent := crashAndResume(t, srv, 2, email,
				func() iter.Seq2[*loyalty.Page[*loyalty.Customer], error] { return c.Customers.ListPages(ctx, opts) },
				func(cur string) iter.Seq2[*loyalty.Page[*loyalty.Customer], error] {
					return c.Customers.ListPages(ctx, &loyalty.CustomerListOptions{PerPage: 2, Cursor: cur})
				})
			require.Len(t, before, 4)
			union(t, want, before, after)
			assert.Equal(t, 3, sent, "the resumed run fetches pages 3 to 5 only")

			// The item iterator takes the same cursor.
			var cur string
			for p, err := range c.Customers.ListPages(ctx, opts) {
				require.NoError(t, err)
				cur = p.Next
				break
			}
			assert.Equal(t, want[2:], customerIDs(t, c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 2, Cursor: cur})))
		})
	}
}

func TestCustomersRecentPagesResume(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()
	seedNumbered(t, c, 7)
	opts := &loyalty.CustomerRecentOptions{PerPage: 2}
	want := customerIDs(t, c.Customers.Recent(ctx, opts))
	require.Len(t, want, 7)
	before, after, sent := crashAndResume(t, srv, 2, email,
		func() iter.Seq2[*loyalty.Page[*loyalty.Customer], error] { return c.Customers.RecentPages(ctx, opts) },
		func(cur string) iter.Seq2[*loyalty.Page[*loyalty.Customer], error] {
			return c.Customers.RecentPages(ctx, &loyalty.CustomerRecentOptions{PerPage: 2, Cursor: cur})
		})
	union(t, want, before, after)
	assert.Equal(t, 2, sent)
}

// Monterosa's history pages by time window: a resumed run starts at the
// window after page 2.
func TestRewardsHistoryPagesResume(t *testing.T) {
	clk := &frozenClock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	srv := loyaltytest.New(t, loyaltytest.WithClock(clk.Now))
	var missions []loyaltytest.MonterosaMission
	for i := range 250 {
		missions = append(missions, loyaltytest.MonterosaMission{ID: fmt.Sprint("m-", i), Type: "tick"})
	}
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{Challenges: []loyaltytest.MonterosaChallenge{{ID: "big", Missions: missions}}})
	fan := srv.Client().Rewards.ForUser("fan")
	ctx := context.Background()
	_, err := fan.ReportAction(ctx, loyalty.RewardsAction{Name: "tick"})
	require.NoError(t, err)

	var want []string
	for it, err := range fan.History(ctx, nil) {
		require.NoError(t, err)
		want = append(want, it.ID)
	}
	require.Len(t, want, 251, "three pages of 100")
	id := func(it *loyalty.RewardsHistoryItem) string { return it.ID }
	before, after, sent := crashAndResume(t, srv, 2, id,
		func() iter.Seq2[*loyalty.Page[*loyalty.RewardsHistoryItem], error] { return fan.HistoryPages(ctx, nil) },
		func(cur string) iter.Seq2[*loyalty.Page[*loyalty.RewardsHistoryItem], error] {
			return fan.HistoryPages(ctx, &loyalty.RewardsHistoryOptions{Cursor: cur})
		})
	require.Len(t, before, 200)
	union(t, want, before, after)
	assert.Equal(t, 1, sent)
}

// A cursor resumes only its own listing: one of another method, platform
// or set of options, or a garbled one, is an *InputError naming Cursor,
// and nothing is sent.
func TestPageCursorRefused(t *testing.T) {
	srv := loyaltytest.New(t)
	yotpo, influence := srv.ClientFor(loyalty.Yotpo), srv.ClientFor(loyalty.InfluenceIO)
	ctx := context.Background()
	seedNumbered(t, yotpo, 3)
	seedNumbered(t, influence, 3)
	next := func(seq iter.Seq2[*loyalty.Page[*loyalty.Customer], error]) string {
		for p, err := range seq {
			require.NoError(t, err)
			require.NotEmpty(t, p.Next)
			return p.Next
		}
		return ""
	}
	list := next(yotpo.Customers.ListPages(ctx, &loyalty.CustomerListOptions{PerPage: 1}))
	recent := next(yotpo.Customers.RecentPages(ctx, &loyalty.CustomerRecentOptions{PerPage: 1}))
	influenceList := next(influence.Customers.ListPages(ctx, &loyalty.CustomerListOptions{PerPage: 1}))

	for name, seq := range map[string]iter.Seq2[*loyalty.Customer, error]{
		"another method":      yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: recent}),
		"another method too":  yotpo.Customers.Recent(ctx, &loyalty.CustomerRecentOptions{PerPage: 1, Cursor: list}),
		"another platform":    yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: influenceList}),
		"from Yotpo":          influence.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: list}),
		"other page size":     yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 2, Cursor: list}),
		"other filter":        yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, LastSeenSince: time.Now(), Cursor: list}),
		"cut short":           yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: list[:len(list)-3]}),
		"altered":             yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: flip(list)}),
		"not base64":          yotpo.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, Cursor: "page=2"}),
		"a platform's cursor": yotpo.Customers.Recent(ctx, &loyalty.CustomerRecentOptions{PerPage: 1, Cursor: "eyJpZCI6MX0"}),
	} {
		t.Run(name, func(t *testing.T) {
			srv.ResetRequests()
			_, err := firstErrOf(seq)
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "Cursor", ie.Field)
			assert.Empty(t, srv.Requests(), "nothing sent")
		})
	}

	fan := srv.Client().Rewards.ForUser("fan")
	_, err := firstErrOf(fan.History(ctx, &loyalty.RewardsHistoryOptions{Cursor: list}))
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, ie.Reason, "Customers.List")
}

// flip changes one character in the middle of s.
func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
