package loyaltytest

import (
	"crypto/rsa"
	"net"
	"time"
)

// An Option configures a Server. The zero configuration serves every
// platform with any non-empty credentials, no rate limiting, and fast
// webhook retries.
type Option func(*config)

type config struct {
	clock       func() time.Time
	listener    net.Listener
	maxBody     int64
	recordLimit int
	recordBytes int64
	rateLimit   bool
	dashboard   bool // WithDashboard
	influenceIO bool // Client() configures Influence.io instead of Yotpo
	random      RandomFaults
	seedSources []seedSource // WithSeed and WithSeedFile, in order
	seeds       []Seed       // what they hold, loaded at start and on Reset

	webhookAttempts int
	webhookBackoff  time.Duration

	qualifioID, qualifioSecret string
	qualifioTTL                time.Duration
	yotpoGUID, yotpoKey        string
	yotpoAsyncRefunds          bool
	influenceKey               string
	influenceEarnRate          float64
	monterosaToken             string
	monterosaService           string
	monterosaKey               *rsa.PublicKey
}

// Defaults of the zero configuration.
const (
	DefaultMaxBodyBytes    = 1 << 20  // request bodies above this get 413
	DefaultRecordLimit     = 10000    // most recent requests kept by the recorder
	DefaultRecordBytes     = 64 << 20 // most bytes the recorder keeps (WithRecordBytes)
	DefaultWebhookAttempts = 5
	DefaultWebhookBackoff  = 10 * time.Millisecond // doubled after each failed attempt
)

func defaultConfig() config {
	return config{
		clock:           time.Now,
		maxBody:         DefaultMaxBodyBytes,
		recordLimit:     DefaultRecordLimit,
		recordBytes:     DefaultRecordBytes,
		webhookAttempts: DefaultWebhookAttempts,
		webhookBackoff:  DefaultWebhookBackoff,
	}
}

// WithClock sets the clock behind token expiry, timestamps and the rate
// limit window, so tests can move time instead of sleeping.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithListener serves on l instead of a new loopback listener; the program
// cmd/loyaltyfake uses it to serve on a chosen address.
func WithListener(l net.Listener) Option { return func(c *config) { c.listener = l } }

// WithMaxBodyBytes caps request bodies; larger ones get 413 in the
// platform's error shape, and nothing changes. n <= 0 is not a cap and is
// ignored, keeping DefaultMaxBodyBytes, as other options ignore or clamp
// values they cannot use (a nil Option, WithWebhookRetry's attempts).
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithRecordLimit sets how many of the most recent requests Requests keeps;
// n <= 0 turns recording off.
func WithRecordLimit(n int) Option { return func(c *config) { c.recordLimit = n } }

// WithRecordBytes bounds the memory the request log holds: the recorder
// evicts its oldest requests until the bodies, paths, queries and headers
// it keeps, plus 256 bytes a request, fit in n bytes (and at most
// WithRecordLimit requests are kept). Without it, the records' bodies alone
// could reach WithRecordLimit × the body cap (10 GiB by default). n <= 0 is
// ignored, keeping DefaultRecordBytes; WithRecordLimit(0) turns recording
// off.
func WithRecordBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.recordBytes = n
		}
	}
}

// WithRateLimit turns on Yotpo's documented limit of 10 requests per second:
// ratelimit-* headers on every Yotpo response and 429 above the limit.
func WithRateLimit() Option { return func(c *config) { c.rateLimit = true } }

// WithInfluenceIOClient makes Client configure Influence.io as the commerce
// platform instead of Yotpo. Both are served either way.
func WithInfluenceIOClient() Option { return func(c *config) { c.influenceIO = true } }

// WithRandomFaults makes a share of all requests fail, reproducibly for a
// given seed and request order.
func WithRandomFaults(rf RandomFaults) Option { return func(c *config) { c.random = rf } }

// WithWebhookRetry sets how many times a webhook delivery is attempted and
// the wait after the first failure, doubled after each further one.
func WithWebhookRetry(attempts int, backoff time.Duration) Option {
	return func(c *config) { c.webhookAttempts, c.webhookBackoff = attempts, backoff }
}

// WithQualifioClient pins the only client id and secret the Qualifio token
// endpoint accepts.
func WithQualifioClient(id, secret string) Option {
	return func(c *config) { c.qualifioID, c.qualifioSecret = id, secret }
}

// WithQualifioTokenTTL sets the lifetime of issued Qualifio tokens
// (default one hour).
func WithQualifioTokenTTL(d time.Duration) Option { return func(c *config) { c.qualifioTTL = d } }

// WithYotpoCredentials pins the only GUID and API key Yotpo accepts.
func WithYotpoCredentials(guid, apiKey string) Option {
	return func(c *config) { c.yotpoGUID, c.yotpoKey = guid, apiKey }
}

// WithYotpoAsyncRefunds makes Yotpo refunds asynchronous, as on the
// platform, whose answer to POST /refunds only acknowledges receipt: an
// accepted refund changes nothing until Server.Yotpo().ProcessRefunds (or
// POST AdminPath/yotpo/refunds/process) applies it; until then it is in
// PendingRefunds. By default a refund is applied before the answer.
func WithYotpoAsyncRefunds() Option { return func(c *config) { c.yotpoAsyncRefunds = true } }

// WithInfluenceIOAPIKey pins the only Influence.io API key accepted.
func WithInfluenceIOAPIKey(key string) Option { return func(c *config) { c.influenceKey = key } }

// WithInfluenceIOEarnRate sets the points per major currency unit earned by
// a paid Influence.io order.
func WithInfluenceIOEarnRate(rate float64) Option {
	return func(c *config) { c.influenceEarnRate = rate }
}

// WithMonterosaToken pins the only Monterosa user token accepted.
func WithMonterosaToken(token string) Option { return func(c *config) { c.monterosaToken = token } }

// WithMonterosaServiceToken adds a Monterosa service token, which acts for
// the user named by the userId query parameter.
func WithMonterosaServiceToken(token string) Option {
	return func(c *config) { c.monterosaService = token }
}

// WithMonterosaRS256Key makes Monterosa accept only JWTs signed RS256 by the
// private key of pub, and not expired.
func WithMonterosaRS256Key(pub *rsa.PublicKey) Option {
	return func(c *config) { c.monterosaKey = pub }
}

// WithSeed loads seed into the platforms at start, and again on each
// Reset. Several seeds load in the order given. Start refuses a seed that
// is not valid (Seed.Validate).
func WithSeed(seed Seed) Option {
	return func(c *config) { c.seedSources = append(c.seedSources, seedSource{seed: seed}) }
}

// seedSource is a seed or the path of a seed file.
type seedSource struct {
	seed Seed
	path string
}

// WithSeedFile loads the seed file at path (the JSON form of Seed), read
// and checked by Start, which refuses a file it cannot read or decode with a
// *SeedError naming the file and the field at fault; NewServer panics with
// it and New fails the test. The file is read once: Reset reloads what it
// held.
func WithSeedFile(path string) Option {
	return func(c *config) { c.seedSources = append(c.seedSources, seedSource{path: path}) }
}

// WithDemoData loads DemoSeed, the realistic program that
// cmd/loyaltyfake serves by default: campaigns, rewards and tiers to earn
// and spend points against on every platform.
func WithDemoData() Option { return WithSeed(DemoSeed()) }

// loadSeeds reads the seed files and validates every seed, in the order
// of the options.
func (c *config) loadSeeds() ([]Seed, error) {
	out := make([]Seed, 0, len(c.seedSources))
	for _, src := range c.seedSources {
		seed := src.seed
		if src.path != "" {
			var err error
			if seed, err = LoadSeedFile(src.path); err != nil {
				return nil, err
			}
		} else if err := seed.Validate(); err != nil {
			return nil, err
		}
		out = append(out, seed)
	}
	return out, nil
}
