package loyalty_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// A birthdate is a calendar date: the day given in its own location is
// the day sent, though UTC is on another day at that instant (just after
// midnight east of UTC, just before it west of UTC), on Create and Update.
func TestMembersBirthdateKeepsItsCalendarDate(t *testing.T) {
	brussels := time.FixedZone("CET", 3600)
	honolulu := time.FixedZone("HST", -10*3600)
	for _, tc := range []struct {
		name string
		at   time.Time
		want string
	}{
		{"just after midnight, east of UTC", time.Date(1990, 4, 12, 0, 30, 0, 0, brussels), "1990-04-12T00:00:00Z"},
		{"late evening, west of UTC", time.Date(1990, 4, 12, 23, 0, 0, 0, honolulu), "1990-04-12T00:00:00Z"},
		{"new year's day, east of UTC", time.Date(2000, 1, 1, 0, 0, 0, 0, brussels), "2000-01-01T00:00:00Z"},
		{"UTC noon", time.Date(2000, 12, 24, 12, 0, 0, 0, time.UTC), "2000-12-24T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newPlatformMock(t,
				exchange{Method: http.MethodPost, Path: "/management/members", Body: `{"email":"ana@example.com","birthdate":"` + tc.want + `"}`,
					Status: http.StatusCreated, Resp: qualifioMemberResp},
				exchange{Method: http.MethodPatch, Path: "/management/members/m-1", Body: `{"birthdate":"` + tc.want + `"}`, Resp: qualifioMemberResp})
			c := m.client(loyalty.Qualifio)
			_, _, err := c.Members.Create(context.Background(), loyalty.MemberInput{Email: "ana@example.com", Birthdate: tc.at})
			require.NoError(t, err)
			_, _, err = c.Members.Update(context.Background(), "m-1", loyalty.MemberUpdate{Birthdate: loyalty.SetTo(tc.at)})
			require.NoError(t, err)
		})
	}
}
