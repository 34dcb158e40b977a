package contract

import "net/url"

// Monterosa Loyalty API, preview
// (https://products.monterosa.co/mic/reference/audience-api-preview/loyalty-api).
// The base URL is the customer's space domain; there is no default.
const (
	MonterosaPathConfig        = "/api/loyalty/config"        // documented
	MonterosaPathProfile       = "/api/loyalty/profile"       // documented
	MonterosaPathNotifications = "/api/loyalty/notifications" // documented
	MonterosaPathHistory       = "/api/loyalty/history"       // documented
	MonterosaPathCoupons       = "/api/loyalty/coupons/"      // documented; + url.PathEscape(id)
	MonterosaPathAction        = "/api/loyalty/action"        // documented

	MonterosaQueryFrom   = "from"   // documented, epoch ms (unit decided)
	MonterosaQueryTo     = "to"     // documented, epoch ms (unit decided)
	MonterosaQueryUserID = "userId" // decided: target user with a service token

	MonterosaHistoryPageSize = 100 // decided: a full page means there may be more

	// MonterosaStatusAction is the answer to a reported action: 200 with an
	// empty body (documented: "200 Successful response ... No content"; it
	// was a decided 204 before the correction of 2026-12-01). Clients accept
	// any 2xx, with or without a body.
	MonterosaStatusAction = 200

	// MonterosaMaxStringLen is the limit of a string value in action data,
	// counted in Unicode code points (limit documented; counting decided).
	MonterosaMaxStringLen = 1024

	MonterosaOKMessage = "OK" // documented success envelope message

	// Notification / history types.
	MonterosaTypeChallengeCompleted = "challengeCompleted" // documented example
	MonterosaTypeMissionCompleted   = "missionCompleted"   // decided
)

// MonterosaCouponPath returns the path of one coupon.
func MonterosaCouponPath(id string) string { return MonterosaPathCoupons + url.PathEscape(id) }
