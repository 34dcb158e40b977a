package webhook_test

import (
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/webhook"
	"github.com/loyalty-go/loyalty/webhook/webhooktest"
)

func TestMemoryStoreContract(t *testing.T) {
	webhooktest.TestDedupStore(t, func(_ *testing.T, ttl time.Duration) webhook.DedupStore {
		return webhook.NewMemoryStore(ttl, 0)
	})
}
