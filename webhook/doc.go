// Package webhook receives the webhooks of Qualifio Loyalty, Yotpo Loyalty &
// Referrals and Influence.io: it verifies a delivery on its raw body, parses
// it into typed events plus a normalized view that is the same for every
// platform, and serves it as an http.Handler that de-duplicates deliveries.
// Monterosa sends no webhooks.
//
// # Verify, then parse
//
// Build one Receiver per platform from its config (NewQualifio, NewYotpo,
// NewInfluenceIO). A config that enables no check is refused with
// ErrNoVerification unless its InsecureSkipVerify field is set, so an open
// endpoint is always a visible choice. Receiver.ConstructEvents verifies the
// raw body bytes first and parses only what passed:
//
//	events, err := rc.ConstructEvents(r, body)
//	switch {
//	case errors.Is(err, webhook.ErrMissingHeader), errors.Is(err, webhook.ErrMissingToken),
//		errors.Is(err, webhook.ErrBadToken), errors.Is(err, webhook.ErrBadSignature): // 401
//	case errors.Is(err, webhook.ErrMalformed): // 400
//	}
//
// Receiver.ConstructEventsFrom does the same from headers, URL query and body
// without an *http.Request, for deliveries that arrive another way.
//
// Every comparison of a secret is constant-time, and every config takes
// several secrets at once so that they can be rotated without downtime.
// Failures wrap distinct sentinel errors (ErrMissingHeader, ErrMissingToken,
// ErrBadToken, ErrBadSignature) usable with errors.Is; no error message ever
// contains a secret. None of the three platforms puts a timestamp in its
// authentication, so there is no tolerance window and no "too old" error.
//
// The schemes:
//
//   - Qualifio: a header named and valued by the merchant, and/or
//     X-Qualifio-Signature: sha256=<hex HMAC-SHA256 of the body>.
//   - Yotpo: the admin's "Webhook Authentication" value in Authorization,
//     raw or as "Bearer <value>".
//   - Influence.io: ?token=<secret> in the registered URL, and nothing else.
//     Influence.io signs no delivery; it documents only X-Webhook-Topic and
//     X-Webhook-Id (https://developer.influence.io/reference/introduction-to-webhooks).
//     Build the URL with InfluenceIOWebhookURL, or register it with
//     loyalty's Webhooks.CreateWithToken.
//
// # What a URL token protects against, and what not
//
// The Influence.io token is a shared secret in a URL, not a signature. It
// stops anyone who does not know the URL from posting deliveries that you
// accept. It does not protect the body: whoever learns the URL (from a proxy
// or server access log, a referrer, a leaked config, Influence.io's own
// dashboard) can forge any delivery for any topic, and nothing ties a body
// to Influence.io. It does not stop replays either: a captured delivery can
// be sent again, and the handler drops it only while its X-Webhook-Id is
// remembered (the TTL); under a new X-Webhook-Id it is processed again. So
// serve over HTTPS, keep the URL out of logs, rotate the token (Tokens takes
// the old and the new one while Influence.io's subscriptions are replaced),
// and treat a delivery as a hint to act on, checked against the API where
// the stakes are high (for example read the customer's balance with GET
// /v1/customers/{id} before granting something). Yotpo's Authorization
// value has the same limits. Only Qualifio's X-Qualifio-Signature binds the
// body to a secret, and it too has no timestamp, so de-duplication remains
// the only defence against its replays.
//
// # Events
//
// An Event carries the normalized view (platform, id, kind, customer, points
// delta and balance, time) and, in Data, a pointer to the typed event of its
// topic, such as *YotpoPointsEarned or *QualifioLevelChanged. A topic the
// package does not know is kept as json.RawMessage and never fails. Unknown
// fields are ignored, a field of an unexpected JSON type is left at its zero
// value, and times go through the tolerant Time type, so that a surprise in
// one field never rejects a delivery the platform would then retry forever.
//
// # Serving
//
// The handler caps the body, but only the http.Server can bound how long a
// client may take to send it. Serve receivers with every server timeout
// set, so that a slow or stalled sender cannot hold connections open:
//
//	srv := &http.Server{
//		Addr:              addr,
//		Handler:           mux,
//		ReadHeaderTimeout: 5 * time.Second,  // the request line and headers
//		ReadTimeout:       15 * time.Second, // the whole request, body included
//		WriteTimeout:      30 * time.Second, // covers your handler's work: keep it quick
//		IdleTimeout:       2 * time.Minute,  // kept-alive connections between deliveries
//	}
//
// # Handler
//
// Receiver.Handler answers 413 for a body over the size cap, 401 when
// verification fails (without parsing), 400 for a malformed body, and 200 for
// a delivery it has already processed, without calling the user again. It
// calls the user's function with the request's context and answers 200 when
// it succeeds and 500 when it fails; a failed event is not recorded as seen,
// so the platform's retry is processed. A copy of an event that arrives while
// the first is still being processed gets 503 and Retry-After, since the
// outcome of the first is not known yet. De-duplication goes through a
// DedupStore; MemoryStore serves one process, and replicas can share any
// store that implements the interface. A claim on an event in progress holds
// for HandlerOptions.Lease (DefaultLease, minutes) rather than the TTL of
// done events (days), is never dropped to make room (a store full of events
// in progress answers 503), and is owned: Complete and Release present the
// token Claim returned, so a run that outlived its lease cannot end a newer
// run's claim. Every call of a store that can block is bounded by
// HandlerOptions.StoreTimeout (a NonBlockingStore, such as MemoryStore, has
// nothing to bound).
// HandlerOptions.Observer is told about each delivery and each event in it
// (platform, topic, de-duplication outcome, the status answered), never the
// request's headers, query or body, which hold the delivery's secret.
//
// # Testing
//
// QualifioSigner, YotpoSigner and InfluenceIOSigner build correctly
// authenticated deliveries for tests, with the same signature function the
// SDK's fake server signs its Qualifio webhooks with.
package webhook
