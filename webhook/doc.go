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
// Replays are only partly stopped: de-duplication drops a delivery whose
// event id was processed within the TTL, but the ids of Yotpo and
// Influence.io travel in headers nobody signs (Yotpo signs nothing; the
// Influence.io signature covers the body, not X-Webhook-Id or
// X-Webhook-Topic). With an Influence.io signing secret the handler
// de-duplicates on the signature instead of X-Webhook-Id (Event.DedupKey), so
// a signed body replayed under a new id or topic is a duplicate within the
// TTL; the topic header remains unauthenticated, so a typed event is only as
// trustworthy as the body it was decoded from. Otherwise, anyone who captured
// a delivery and holds the token can replay it under a new id: keep tokens
// secret and serve over HTTPS.
//
// The schemes (../shared/platforms, convention 10):
//
//   - Qualifio: a header named and valued by the merchant, and/or
//     X-Qualifio-Signature: sha256=<hex HMAC-SHA256 of the body>.
//   - Yotpo: the admin's "Webhook Authentication" value in Authorization,
//     raw or as "Bearer <value>".
//   - Influence.io: ?token=<secret> in the registered URL, and/or
//     X-Webhook-Signature: base64 HMAC-SHA256 of the body, required once a
//     signing secret is configured.
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
// run's claim. Every store call is bounded by HandlerOptions.StoreTimeout.
//
// # Testing
//
// QualifioSigner, YotpoSigner and InfluenceIOSigner build correctly
// authenticated deliveries for tests, with the same signature functions the
// SDK's fake server uses to sign its own webhooks.
package webhook
