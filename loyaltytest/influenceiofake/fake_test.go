package influenceiofake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestAuth(t *testing.T) {
	h := newHarness(t, Config{})
	for name, hdr := range map[string]http.Header{
		"none":   {},
		"bearer": {"Authorization": {"Bearer k"}},
	} {
		got, body := h.Raw(http.MethodGet, contract.InfluenceIOPathWebhooks, nil, "", hdr)
		if got != http.StatusUnauthorized || strings.TrimSpace(string(body)) != `{"message":"Unauthorized"}` {
			t.Errorf("%s: %d %s", name, got, body)
		}
	}
	if got, _ := h.Raw(http.MethodGet, contract.InfluenceIOPathWebhooks, nil, "", http.Header{"X-Api-Key": {"anything"}}); got != http.StatusOK {
		t.Errorf("any key: status %d", got)
	}

	pinned := newHarness(t, Config{APIKey: testKey})
	pinned.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathWebhooks, nil, "")
	if got, _ := pinned.Raw(http.MethodGet, contract.InfluenceIOPathWebhooks, nil, "", http.Header{contract.InfluenceIOHeaderAPIKey: {"wrong"}}); got != http.StatusUnauthorized {
		t.Errorf("wrong pinned key: status %d", got)
	}
}

func TestRouting(t *testing.T) {
	h := newHarness(t, Config{})
	h.mustError(http.StatusNotFound, http.MethodGet, "/v1/nope", nil, "")
	h.mustError(http.StatusNotFound, http.MethodGet, "/v1/customers/", nil, "")
	h.mustError(http.StatusNotFound, http.MethodGet, "/v1/customers/a/b/c", nil, "")
	h.mustError(http.StatusNotFound, http.MethodPost, "/v1/rewards/X/spend", nil, "")
	h.mustError(http.StatusMethodNotAllowed, http.MethodPost, contract.InfluenceIOPathCustomers, nil, "{}")
	h.mustError(http.StatusMethodNotAllowed, http.MethodGet, contract.InfluenceIOPathOrders, nil, "")
	h.mustError(http.StatusMethodNotAllowed, http.MethodPut, contract.InfluenceIOOrderPath("o"), nil, "{}")

	req, _ := http.NewRequest(http.MethodPost, h.Srv.URL+contract.InfluenceIOWebhookPath("w"), nil)
	req.Header.Set(contract.InfluenceIOHeaderAPIKey, "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Allow"); got != "DELETE, GET, PUT" {
		t.Errorf("Allow %q", got)
	}

	// Path ids are unescaped: an id with a slash or a space round-trips.
	for _, id := range []string{"a/b", "c d", "ünï"} {
		c := h.put(id, `{"email":"x@example.com"}`)
		if c.ExternalID != id || h.get(id).ExternalID != id {
			t.Errorf("id %q came back as %q", id, c.ExternalID)
		}
	}
}

func TestBadBodiesChangeNothing(t *testing.T) {
	h := newHarness(t, Config{})
	h.put("c-1", `{"email":"a@example.com"}`)
	hdr := func(ct string) http.Header {
		return http.Header{contract.InfluenceIOHeaderAPIKey: {"k"}, "Content-Type": {ct}}
	}
	writes := []struct{ method, path string }{
		{http.MethodPut, contract.InfluenceIOCustomerPath("c-2")},
		{http.MethodPost, contract.InfluenceIOPointsPath("c-1")},
		{http.MethodPost, contract.InfluenceIOPathOrders},
		{http.MethodPatch, contract.InfluenceIOOrderPath("o-1")},
		{http.MethodPut, contract.InfluenceIOProductPath("p-1")},
		{http.MethodPost, contract.InfluenceIORewardUsePath("R")},
		{http.MethodPost, contract.InfluenceIOPathWebhooks},
	}
	for _, wr := range writes {
		h.mustError(http.StatusBadRequest, wr.method, wr.path, nil, `{"email":`)
		h.mustError(http.StatusBadRequest, wr.method, wr.path, nil, `"text"`)
		if got, _ := h.Raw(wr.method, wr.path, nil, `{"email":"b@example.com"}`, hdr("text/plain")); got != http.StatusUnsupportedMediaType {
			t.Errorf("%s %s text/plain: %d, want 415", wr.method, wr.path, got)
		}
		big := `{"email":"b@example.com","name":"` + strings.Repeat("x", 5000) + `"}`
		if got, _ := h.Raw(wr.method, wr.path, nil, big, hdr("application/json")); got != http.StatusRequestEntityTooLarge {
			t.Errorf("%s %s oversized: %d, want 413", wr.method, wr.path, got)
		}
	}
	h.mustError(http.StatusNotFound, http.MethodGet, contract.InfluenceIOCustomerPath("c-2"), nil, "")
	if c := h.get("c-1"); c.PointBalance != 0 {
		t.Errorf("balance %d after rejected awards", c.PointBalance)
	}
}

// TestConcurrentClients runs many clients against one account; -race checks
// the locking and the totals check nothing was lost or counted twice.
func TestConcurrentClients(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	h.put("c-1", `{"email":"busy@example.com"}`)
	const workers, each = 16, 10
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if got, b := h.Request(http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":1}`); got != http.StatusOK {
					errs <- fmt.Sprintf("points: %d %s", got, b)
				}
				// Every worker sends the same order ids: each counts once, the rest get 409.
				order := fmt.Sprintf(`{"id":"o-%d","customerId":"c-1","totalPrice":10,"financialStatus":"paid"}`, i)
				if got, b := h.Request(http.MethodPost, contract.InfluenceIOPathOrders, nil, order); got != http.StatusCreated && got != http.StatusConflict {
					errs <- fmt.Sprintf("order: %d %s", got, b)
				}
				if got, b := h.Request(http.MethodGet, contract.InfluenceIOPathCustomers, url.Values{contract.InfluenceIOQueryLimit: {"1"}}, ""); got != http.StatusOK {
					errs <- fmt.Sprintf("list: %d %s", got, b)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if c := h.get("c-1"); c.PointBalance != workers*each+each*10 {
		t.Errorf("balance %d, want %d", c.PointBalance, workers*each+each*10)
	}
	if n := len(h.TakeDeliveries()); n != workers*each+each {
		t.Errorf("%d points/earned deliveries, want %d", n, workers*each+each)
	}
}
