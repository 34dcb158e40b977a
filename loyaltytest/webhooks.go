package loyaltytest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// A WebhookDelivery is one webhook the fake sent or is sending, with every
// attempt so far.
type WebhookDelivery struct {
	// ID numbers deliveries from 1 in the order they were emitted; Reset
	// does not reuse one.
	ID       int
	Platform loyalty.Platform // Qualifio, Yotpo or InfluenceIO
	Topic    string           // topic or event type
	URL      string
	Header   http.Header // as sent, including the platform's auth headers
	Body     []byte      // the exact bytes sent on every attempt
	Attempts []WebhookAttempt
	// Done is true once the delivery succeeded or ran out of attempts.
	Done bool
	// Delivered is true once an attempt got a 2xx.
	Delivered bool
}

// A WebhookAttempt is one POST of a delivery.
type WebhookAttempt struct {
	Time   time.Time
	Status int    // 0 when no response arrived
	Err    string // transport or encoding error, with no secret of the URL
}

// webhookWorkers deliver in parallel so that one slow receiver does not hold
// the others up. Deliveries to one URL go one at a time, in the order they
// were emitted, so a receiver sees changes in order.
const webhookWorkers = 4

// deliverer is the webhook queue: platform fakes enqueue without blocking,
// workers POST with retries.
type deliverer struct {
	client   *http.Client
	now      func() time.Time
	attempts int
	backoff  time.Duration
	ctx      context.Context // cancelled by stop: in-flight POSTs and waits end
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	mu      sync.Mutex
	cond    *sync.Cond // signalled when work may be available, or on stop
	stopped bool
	queue   []*WebhookDelivery
	busy    map[string]bool // URLs with a delivery in flight
	all     []*WebhookDelivery
	lastID  int
	pending int           // queued or in flight
	idle    chan struct{} // closed while pending == 0
}

func newDeliverer(now func() time.Time, attempts int, backoff time.Duration) *deliverer {
	if attempts <= 0 {
		attempts = 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &deliverer{
		// Its own transport, so that stop closes only its connections.
		client:   &http.Client{Timeout: 10 * time.Second, Transport: http.DefaultTransport.(*http.Transport).Clone()},
		now:      now,
		attempts: attempts,
		backoff:  backoff,
		ctx:      ctx,
		cancel:   cancel,
		busy:     map[string]bool{},
		idle:     make(chan struct{}),
	}
	d.cond = sync.NewCond(&d.mu)
	close(d.idle)
	d.wg.Add(webhookWorkers)
	for range webhookWorkers {
		go d.work()
	}
	return d
}

// emit queues a delivery; it never blocks on the network.
func (d *deliverer) emit(in fakekit.Delivery) { d.add(in) }

// add queues a delivery and returns it; nil when the deliverer is stopped.
func (d *deliverer) add(in fakekit.Delivery) *WebhookDelivery {
	wd := &WebhookDelivery{
		Platform: loyalty.Platform(in.Platform), Topic: in.Topic, URL: in.URL,
		Header: in.Header.Clone(), Body: bytes.Clone(in.Body),
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		return nil
	}
	d.lastID++
	wd.ID = d.lastID
	if in.EncodeErr != "" {
		wd.Done = true
		wd.Attempts = []WebhookAttempt{{Time: d.now(), Err: "not sent: the webhook could not be encoded: " + in.EncodeErr}}
		d.all = append(d.all, wd)
		return wd
	}
	if d.pending == 0 {
		d.idle = make(chan struct{})
	}
	d.pending++
	d.queue = append(d.queue, wd)
	d.all = append(d.all, wd)
	d.cond.Signal()
	return wd
}

// take removes the oldest queued delivery whose URL is not busy. Callers
// hold d.mu.
func (d *deliverer) take() *WebhookDelivery {
	for i, wd := range d.queue {
		if !d.busy[wd.URL] {
			d.queue = append(d.queue[:i], d.queue[i+1:]...)
			d.busy[wd.URL] = true
			return wd
		}
	}
	return nil
}

func (d *deliverer) work() {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		wd := d.take()
		for wd == nil && !d.stopped {
			d.cond.Wait()
			wd = d.take()
		}
		d.mu.Unlock()
		if wd == nil {
			return
		}
		d.deliver(wd)
	}
}

func (d *deliverer) deliver(wd *WebhookDelivery) {
	wait := d.backoff
	for i := 0; i < d.attempts; i++ {
		if i > 0 {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-d.ctx.Done():
				t.Stop()
				d.finish(wd, false)
				return
			}
			wait *= 2
		}
		a := d.post(wd)
		d.mu.Lock()
		wd.Attempts = append(wd.Attempts, a)
		d.mu.Unlock()
		if a.Status >= 200 && a.Status < 300 {
			d.finish(wd, true)
			return
		}
	}
	d.finish(wd, false)
}

func (d *deliverer) post(wd *WebhookDelivery) WebhookAttempt {
	a := WebhookAttempt{Time: d.now()}
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, wd.URL, bytes.NewReader(wd.Body))
	if err != nil {
		a.Err = "invalid webhook URL"
		return a
	}
	req.Header = wd.Header.Clone()
	resp, err := d.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redactURL(ue.URL)
		}
		a.Err = err.Error()
		return a
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	a.Status = resp.StatusCode
	return a
}

func (d *deliverer) finish(wd *WebhookDelivery, delivered bool) {
	d.mu.Lock()
	wd.Done, wd.Delivered = true, delivered
	delete(d.busy, wd.URL)
	if d.pending--; d.pending == 0 {
		close(d.idle)
	}
	d.cond.Broadcast() // the next delivery to that URL may go now
	d.mu.Unlock()
}

// wait blocks until no delivery is queued or in flight.
func (d *deliverer) wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (d *deliverer) snapshot() []WebhookDelivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]WebhookDelivery, len(d.all))
	for i, wd := range d.all {
		out[i] = copyDelivery(wd)
	}
	return out
}

// newest returns copies of the n newest deliveries, newest first, and how
// many there are.
func (d *deliverer) newest(n int) ([]WebhookDelivery, int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]WebhookDelivery, 0, min(n, len(d.all)))
	for i := len(d.all) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, copyDelivery(d.all[i]))
	}
	return out, len(d.all)
}

// forget drops finished deliveries from the list; those queued or in
// flight stay, to be seen finishing.
func (d *deliverer) forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	kept := d.all[:0]
	for _, wd := range d.all {
		if !wd.Done {
			kept = append(kept, wd)
		}
	}
	clear(d.all[len(kept):])
	d.all = kept
}

// redeliver queues a new delivery of the one with id, with the same URL,
// headers and body, and returns it.
func (d *deliverer) redeliver(id int) (WebhookDelivery, bool) {
	d.mu.Lock()
	var in fakekit.Delivery
	found := false
	for _, wd := range d.all {
		if wd.ID == id {
			in = fakekit.Delivery{Platform: string(wd.Platform), Topic: wd.Topic, URL: wd.URL, Header: wd.Header, Body: wd.Body}
			found = true
			break
		}
	}
	d.mu.Unlock()
	if !found {
		return WebhookDelivery{}, false
	}
	wd := d.add(in)
	if wd == nil {
		return WebhookDelivery{}, false // stopped meanwhile
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return copyDelivery(wd), true
}

func copyDelivery(wd *WebhookDelivery) WebhookDelivery {
	out := *wd
	// Copies, so that a test changing them cannot change a retry.
	out.Header, out.Body = wd.Header.Clone(), bytes.Clone(wd.Body)
	out.Attempts = append([]WebhookAttempt(nil), wd.Attempts...)
	return out
}

// stop abandons queued deliveries and waits for the workers to return.
func (d *deliverer) stop() {
	d.mu.Lock()
	d.stopped = true
	d.cancel()
	d.cond.Broadcast()
	for _, wd := range d.queue {
		wd.Done = true
		d.pending--
	}
	d.queue = nil
	if d.pending == 0 {
		select {
		case <-d.idle:
		default:
			close(d.idle)
		}
	}
	d.mu.Unlock()
	d.wg.Wait()
	d.client.CloseIdleConnections()
}

// redactURL reduces a webhook URL to its scheme and host for an error
// message: a receiver's secret can sit in the query (Influence.io's
// ?token=), in a path segment, in the fragment or in user info, and no rule
// tells a secret segment from a plain one.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(unparseable URL)"
	}
	out := u.Scheme + "://" + u.Host
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		out += "/…"
	}
	return out
}

// WaitForWebhooks blocks until every webhook queued so far has been
// delivered or has run out of attempts, or ctx ends.
func (s *Server) WaitForWebhooks(ctx context.Context) error { return s.hooks.wait(ctx) }

// WebhookDeliveries returns every webhook delivery so far, oldest first.
func (s *Server) WebhookDeliveries() []WebhookDelivery { return s.hooks.snapshot() }

// Redeliver sends the delivery with id again, as a new delivery with its
// own ID and attempts (a receiver that was down can be given what it
// missed). It returns the new delivery as queued, and false when no listed
// delivery has id.
func (s *Server) Redeliver(id int) (WebhookDelivery, bool) { return s.hooks.redeliver(id) }
