package redisstore_test

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/redis/go-redis/v9"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/redisstore"
	"github.com/loyalty-go/loyalty/webhook"
)

// Fleet mode: every replica of the service builds its Client and its
// webhook handler like this, and they share one Yotpo limit and one record
// of the events processed. (Compiled, not run: it needs a Redis.)
func Example() {
	yotpo := loyalty.YotpoConfig{GUID: os.Getenv("YOTPO_GUID"), APIKey: os.Getenv("YOTPO_API_KEY")}
	var opts webhook.HandlerOptions

	rs := redisstore.New(redis.NewClient(&redis.Options{Addr: "redis:6379"}), "acme:")
	yotpo.Limiter = rs.Limiter("yotpo", 10, 1) // one Yotpo limit for every replica
	opts.Dedup = rs.DedupStore(0)              // each event processed once by the fleet

	client, err := loyalty.NewClient(loyalty.WithYotpo(yotpo))
	if err != nil {
		log.Fatal(err)
	}
	rc, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{os.Getenv("YOTPO_WEBHOOK_TOKEN")}})
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/webhooks/yotpo", rc.Handler(func(ctx context.Context, ev webhook.Event) error {
		_, _, err := client.Customers.Get(ctx, loyalty.CustomerRef{Email: ev.CustomerEmail}, nil)
		return err
	}, opts))
}
