package loyaltytest

import (
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// A webhook a platform fake could not encode is a failed delivery that
// WebhookDeliveries shows, not a silent drop.
func TestUnencodableWebhookIsRecordedAsFailed(t *testing.T) {
	s := NewServer()
	defer s.Close()
	s.hooks.emit(fakekit.Delivery{Platform: fakekit.Qualifio, Topic: "points.earned", URL: "http://127.0.0.1:1/hook", EncodeErr: "json: unsupported value: +Inf"})
	d := s.WebhookDeliveries()
	if len(d) != 1 || !d[0].Done || d[0].Delivered || len(d[0].Attempts) != 1 || !strings.Contains(d[0].Attempts[0].Err, "could not be encoded") {
		t.Fatalf("deliveries %+v", d)
	}
}
