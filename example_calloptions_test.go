package loyalty_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// Per-call options go last on any call: here a tracing header, a timeout
// for each attempt, and the Response captured.
func ExampleCallOption() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}

	var resp *loyalty.Response
	_, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil,
		loyalty.Header("X-Trace-Id", "sync-42"),
		loyalty.AttemptTimeout(5*time.Second),
		loyalty.CaptureResponse(&resp))
	if err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	fmt.Println(resp.StatusCode, reqs[len(reqs)-1].Header.Get("X-Trace-Id"))
	// Output: 200 sync-42
}

// BodyField sends a platform field the SDK does not model yet; it never
// overrides a field the SDK sets.
func ExampleBodyField() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}
	action := loyalty.Action{Customer: loyalty.ByEmail("ana@example.com"), Name: "review"}

	if _, err := c.Customers.RecordAction(ctx, action, loyalty.BodyField("channel", "pos")); err != nil {
		log.Fatal(err)
	}
	reqs := srv.Requests()
	var body map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		log.Fatal(err)
	}
	fmt.Println(body["action_name"], body["channel"])

	_, err := c.Customers.RecordAction(ctx, action, loyalty.BodyField("action_name", "other"))
	fmt.Println(err)
	// Output:
	// review pos
	// loyalty: Customers.RecordAction: BodyField: "action_name" is set by the SDK on this call
}

// A retry option is refused on a write that is not safe to repeat, before
// anything is sent; OneAttempt is allowed on every call.
func ExampleRetries() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	action := loyalty.Action{Customer: loyalty.ByEmail("ana@example.com"), Name: "review"}

	_, err := c.Customers.RecordAction(ctx, action, loyalty.Retries(3))
	var ie *loyalty.InputError
	fmt.Println(errors.As(err, &ie), ie.Field, len(srv.Requests()))

	// A read may be retried more than the Client's RetryPolicy says.
	_, _, err = c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil, loyalty.Retries(5))
	fmt.Println(errors.Is(err, loyalty.ErrNotFound))
	// Output:
	// true Retries 0
	// true
}

// A sync stores each page's Next once the page is handled; after a crash
// it resumes with that cursor and the same options, fetching only the
// pages after it.
func ExampleCustomersService_ListPages() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	for _, id := range []string{"C-1", "C-2", "C-3", "C-4", "C-5"} {
		if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: id + "@example.com"}); err != nil {
			log.Fatal(err)
		}
	}

	var stored string // in a real sync: a database row
	for page, err := range c.Customers.ListPages(ctx, &loyalty.CustomerListOptions{PerPage: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("page:", len(page.Items), "customers, status", page.Response.StatusCode)
		stored = page.Next
		break // the crash, after the first page
	}

	for cust, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 2, Cursor: stored}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(cust.Email)
	}
	// Output:
	// page: 2 customers, status 200
	// C-3@example.com
	// C-4@example.com
	// C-5@example.com
}
