package loyalty

import (
	"context"
	"errors"
	"testing"
)

// pages of a fake list: page n holds items n*10+0..2; three pages.
func numbered(calls *int) pageFunc[int, int] {
	return func(_ context.Context, page int) ([]int, *Response, int, bool, error) {
		*calls++
		items := []int{page * 10, page*10 + 1, page*10 + 2}
		return items, nil, page + 1, page < 3, nil
	}
}

func TestPaginateWalksAllPages(t *testing.T) {
	var calls int
	var got []int
	for v, err := range paginate(context.Background(), 1, numbered(&calls)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	want := []int{10, 11, 12, 20, 21, 22, 30, 31, 32}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if calls != 3 {
		t.Errorf("%d fetches, want 3", calls)
	}
}

func TestPaginateBreakStopsFetching(t *testing.T) {
	var calls int
	for v := range paginate(context.Background(), 1, numbered(&calls)) {
		if v == 11 {
			break
		}
	}
	if calls != 1 {
		t.Errorf("%d fetches after breaking on the first page, want 1", calls)
	}
}

func TestPaginateYieldsErrorLast(t *testing.T) {
	boom := errors.New("boom")
	fetch := func(_ context.Context, cur string) ([]string, *Response, string, bool, error) {
		if cur == "" {
			return []string{"a"}, nil, "next", true, nil
		}
		return nil, nil, "", false, boom
	}
	var items []string
	var errs []error
	for v, err := range paginate(context.Background(), "", fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, v)
	}
	if len(items) != 1 || len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Errorf("items %v, errs %v", items, errs)
	}
}

func TestPaginateStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls int
	var gotErr error
	for v, err := range paginate(ctx, 1, numbered(&calls)) {
		if err != nil {
			gotErr = err
			break
		}
		if v == 12 {
			cancel()
		}
	}
	if !errors.Is(gotErr, context.Canceled) || calls != 1 {
		t.Errorf("err %v after %d fetches; want context.Canceled after 1", gotErr, calls)
	}
}

// Items a fetch returns together with its error (Monterosa's history page
// that does not advance) are yielded before the error, not dropped.
func TestPaginateYieldsThePageBeforeItsError(t *testing.T) {
	boom := errors.New("boom")
	fetch := func(context.Context, int) ([]string, *Response, int, bool, error) {
		return []string{"a", "b"}, nil, 0, false, boom
	}
	var got []string
	var last error
	for v, err := range paginate(context.Background(), 0, fetch) {
		if err != nil {
			last = err
			continue
		}
		got = append(got, v)
	}
	if len(got) != 2 || !errors.Is(last, boom) {
		t.Fatalf("got %v then %v, want [a b] then boom", got, last)
	}
}
