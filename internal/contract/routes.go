package contract

import "strings"

// routePaths are every path the SDK calls, an id segment written as
// PathEscape("{}"), so that RouteTemplate knows the fixed segments. A path
// added to this package belongs here too; one missing only shows more
// "{id}".
var routePaths = []string{
	QualifioPathEvents, QualifioPathMembers, QualifioMappedPath("{}"), QualifioMemberPath("{}"),
	YotpoPathCustomers, YotpoPathCustomersRecent, YotpoPathCustomersAll, YotpoPathCustomerBirthdays,
	YotpoPathCustomerAnniversary, YotpoPathActions, YotpoPathPointsAdjust, YotpoPathOrders, YotpoPathRefunds,
	YotpoPathRedemptions + "/{}" + YotpoPathRedemptionCancelled, YotpoPathRedemptionOptions, YotpoPathCampaigns,
	YotpoPathVIPTiers, YotpoPathRedemptionCodes, YotpoPathReferralShare, YotpoPathReferralReferrer,
	YotpoPathPrivacyDataExists, YotpoPathPrivacyData,
	InfluenceIOPathCustomers, InfluenceIOPathOrders, InfluenceIOPathProducts, InfluenceIOPathRewards, InfluenceIOPathWebhooks,
	InfluenceIOPointsPath("{}"), InfluenceIOOrderPath("{}"), InfluenceIOVariantsPath("{}"), InfluenceIORewardUsePath("{}"),
	InfluenceIOWebhookPath("{}"), InfluenceIOMembershipEnrollPath("{}"), InfluenceIOMembershipRemovePath("{}"),
	MonterosaPathConfig, MonterosaPathProfile, MonterosaPathNotifications, MonterosaPathHistory,
	MonterosaCouponPath("{}"), MonterosaPathAction,
}

// fixedSegments are the segments of routePaths that are not ids.
var fixedSegments = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range routePaths {
		for _, seg := range strings.Split(p, "/") {
			if seg != "" && seg != "{}" && seg != "%7B%7D" {
				m[seg] = true
			}
		}
	}
	return m
}()

// RouteTemplate returns path with every segment that is not a fixed
// segment of a known route written "{id}": "/v1/rewards/SUMMER10/use" is
// "/v1/rewards/{id}/use". Logs name a route so, never by its path, which
// can hold a coupon code or an e-mail address.
func RouteTemplate(path string) string {
	if fixedRoute(path) {
		return path // every call of the services but those naming an id: nothing to build
	}
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if seg != "" && !fixedSegments[seg] {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

// fixedRoute reports whether every segment of path is a fixed segment.
func fixedRoute(path string) bool {
	for path != "" {
		seg, rest, _ := strings.Cut(path, "/")
		if seg != "" && !fixedSegments[seg] {
			return false
		}
		path = rest
	}
	return true
}
