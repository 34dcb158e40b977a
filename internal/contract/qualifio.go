package contract

import "net/url"

// Qualifio Loyalty: https://developers.qualifio.com/docs/loyalty/integrations-getting-started/
// (hosts, API names), https://developers.qualifio.com/docs/loyalty/api-authentication/
// (auth modes). Paths, field names and statuses no Qualifio page gives are decided.
const (
	QualifioBaseURL  = "https://manager.loyalty.qualifioapp.com/api"                                      // documented
	QualifioTokenURL = "https://auth.k8s.qualifio.com/auth/realms/Qualifio/protocol/openid-connect/token" // documented for Qualifio APIs; decided for Loyalty
	// QualifioBasePath is the path of QualifioBaseURL: where the fake mounts the API.
	QualifioBasePath = "/api"
	// QualifioTokenPath is the path of QualifioTokenURL: where the fake mounts the token endpoint.
	QualifioTokenPath = "/auth/realms/Qualifio/protocol/openid-connect/token"

	// Paths relative to the API base.
	QualifioPathEvents  = "/ingestor/events"         // decided
	QualifioPathMembers = "/management/members"      // decided
	QualifioPathMapped  = "/ingestor/mapped-events/" // documented; + url.PathEscape(id)

	QualifioQueryEmail      = "email"      // decided: member lookup by identity
	QualifioQueryCustomerID = "customerId" // decided

	QualifioStatusEventAccepted = 202 // decided; also the answer to a mapped event
	QualifioStatusMemberCreated = 201 // decided
	QualifioStatusMemberDeleted = 204 // decided

	// Standard event types (decided).
	QualifioEventCustomBasic = "custom/basic"
	QualifioEventPurchase    = "ecommerce/purchase"

	// Mapped-events auth: X-Hub-Signature header name documented
	// (https://developers.qualifio.com/docs/loyalty/api-authentication/);
	// prefixes decided (sha256= by default, sha1= on request).
	QualifioHubSignatureHeader = "X-Hub-Signature"
	QualifioHubSHA256Prefix    = "sha256="
	QualifioHubSHA1Prefix      = "sha1="

	// Webhooks.
	QualifioWebhookSignatureHeader = "X-Qualifio-Signature" // documented for Engage; decided for Loyalty
	QualifioWebhookSignaturePrefix = "sha256="              // documented for Engage

	// Webhook event types (decided strings for documented events).
	QualifioProfileCreated        = "profile.created"
	QualifioPortalVisited         = "portal.visited"
	QualifioLevelChanged          = "level.changed"
	QualifioPointsEarned          = "points.earned"
	QualifioPointsBurned          = "points.burned"
	QualifioPointsCorrectedAdded  = "points.corrected.added"
	QualifioPointsCorrectedRemove = "points.corrected.removed"
	QualifioGiftGiven             = "gift.given"

	QualifioDefaultCurrency = "points" // decided
)

// QualifioWebhookTypes lists every documented webhook event type.
var QualifioWebhookTypes = []string{
	QualifioProfileCreated, QualifioPortalVisited, QualifioLevelChanged, QualifioPointsEarned,
	QualifioPointsBurned, QualifioPointsCorrectedAdded, QualifioPointsCorrectedRemove, QualifioGiftGiven,
}

// QualifioMappedPath returns the mapped-events path of integration id.
func QualifioMappedPath(id string) string { return QualifioPathMapped + url.PathEscape(id) }

// QualifioMemberPath returns the path of one member.
func QualifioMemberPath(id string) string { return QualifioPathMembers + "/" + url.PathEscape(id) }

// QualifioWebhookSignature is the X-Qualifio-Signature value for body.
func QualifioWebhookSignature(secret, body []byte) string {
	return QualifioWebhookSignaturePrefix + HMACSHA256Hex(secret, body)
}

// Token endpoint errors (RFC 6749 §5.2 "error" codes). A wrong secret is
// answered 400 unauthorized_client, documented at
// https://developers.qualifio.com/api/auth-api; an unknown client or
// missing credentials 401 invalid_client (decided).
const (
	QualifioTokenErrWrongSecret    = "unauthorized_client"
	QualifioTokenStatusWrongSecret = 400
	QualifioTokenErrInvalidClient  = "invalid_client"
)

// Qualifio error codes in the "error" key of error bodies (decided).
const (
	QualifioErrInvalidRequest = "invalid_request"
	QualifioErrUnauthorized   = "unauthorized"
	QualifioErrForbidden      = "forbidden"
	QualifioErrNotFound       = "not_found"
	QualifioErrConflict       = "conflict"
	QualifioErrRateLimited    = "rate_limited"
	QualifioErrInternal       = "internal_error"
)
