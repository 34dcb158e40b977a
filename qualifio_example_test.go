package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// Member profiles on Qualifio: enrol, update part of a profile, find by
// identity. The fake stands in for Qualifio; with real credentials, build
// the client with loyalty.WithQualifio(loyalty.QualifioConfig{ClientID:
// ..., ClientSecret: ...}).
func ExampleMembersService() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{
		Email: "ana@example.com", CustomerID: "C-1042", Firstname: "Ana",
		Custom: map[string]any{"newsletter": true, "store": "brussels"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Set one field, clear another, merge custom attributes key by key
	// (nil removes a key); fields not named are left alone.
	_, _, err = c.Members.Update(ctx, m.ID, loyalty.MemberUpdate{
		Lastname:  loyalty.SetTo("Peeters"),
		Firstname: loyalty.ClearField[string](),
		Custom:    map[string]any{"store": nil, "tier": "gold"},
	})
	if err != nil {
		log.Fatal(err)
	}
	found, _, err := c.Members.Lookup(ctx, loyalty.ByEmail("ana@example.com"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %q %s %v\n", found.CustomerID, found.Firstname, found.Lastname, found.Custom)

	_, _, err = c.Members.Create(ctx, loyalty.MemberInput{CustomerID: "C-1042"})
	fmt.Println(errors.Is(err, loyalty.ErrConflict))
	// Output:
	// C-1042 "" Peeters map[newsletter:true tier:gold]
	// true
}

// Standard events: a purchase with an exact amount, and a batch. Each
// event has an id (generated when empty) that Qualifio de-duplicates on,
// so resending it never counts twice.
func ExampleEventsService() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com"})
	if err != nil {
		log.Fatal(err)
	}

	purchase := loyalty.Event{
		Type:      loyalty.EventPurchase,
		Email:     "ana@example.com",
		Timestamp: time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC),
		Tags:      map[string]string{"channel": "web"},
		Purchase:  &loyalty.Purchase{OrderID: "O-77812", Amount: loyalty.NewMoney(4990, "EUR")},
	}
	id, _, err := c.Events.Send(ctx, purchase)
	if err != nil {
		log.Fatal(err) // resend later with purchase.ID = id
	}
	purchase.ID = id
	if _, _, err := c.Events.Send(ctx, purchase); err != nil { // a resend: counted once
		log.Fatal(err)
	}

	visits := make([]loyalty.Event, 3)
	for i := range visits {
		visits[i] = loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com", Counters: map[string]float64{"pages": 2}}
	}
	results, err := c.Events.SendBatch(ctx, visits, &loyalty.EventBatchOptions{Concurrency: 2})
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range results {
		switch {
		case r.Err == nil:
			fmt.Println(i, "sent")
		case errors.Is(r.Err, loyalty.ErrNotAttempted):
			fmt.Println(i, "not attempted")
		default:
			fmt.Println(i, "failed:", r.Err)
		}
	}
	balance, _, _ := srv.Qualifio().Points(m.ID)
	fmt.Println("balance", balance) // 49.90 for the purchase, 10 per visit
	// Output:
	// 0 sent
	// 1 sent
	// 2 sent
	// balance 79.9
}

// Mapped events: any JSON, for an integration that checks a token in a
// header (MappedQuery, MappedHubSignature and MappedBearer are the other
// modes). Build the MappedAuth once per integration.
func ExampleEventsService_SendMapped() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Qualifio().AddMappedEvent(loyaltytest.QualifioMappedEvent{
		ID: "shop-orders", Auth: loyaltytest.QualifioAuthHeader, Name: "X-Authorization", Secret: "integration-token",
	})
	c := srv.Client()

	shopOrders := loyalty.MappedHeader("X-Authorization", "integration-token")
	body := []byte(`{"order":"O-77812","customer":"ana@example.com","total":"49.90"}`)
	if _, _, err := c.Events.SendMapped(context.Background(), "shop-orders", body, shopOrders); err != nil {
		log.Fatal(err)
	}
	fmt.Println(shopOrders) // the token is never printed
	fmt.Println(len(srv.Qualifio().MappedEvents("shop-orders")))
	// Output:
	// MappedHeader("X-Authorization", [redacted])
	// 1
}
