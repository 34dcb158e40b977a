package loyalty

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash/crc32"
	"iter"
)

// Page is one page of a listing, for a sync that must resume where it
// stopped: store Next once the page's items are handled, and pass it as the
// options' Cursor (with the same options) to continue after this page.
type Page[T any] struct {
	Items []T
	// Next is the opaque cursor of the following page, "" on the last
	// page. It resumes only the listing it came from.
	Next string
	// Response is the platform's answer that carried the page.
	Response *Response
}

// pageFunc fetches the page at cursor cur and returns its items, its
// Response, the cursor of the next page, and whether there is one. The
// cursor is whatever the platform pages by: a page number (Yotpo), an
// opaque string (Influence.io) or a time window (Monterosa history).
type pageFunc[T, C any] func(ctx context.Context, cur C) (items []T, resp *Response, next C, more bool, err error)

// pages turns a pageFunc into an iterator over pages, fetched lazily from
// first. With a listing, each page's Next is a cursor of it. An error is
// yielded once, last, with the page of the items its fetch returned with
// it (nil when none).
func pages[T, C any](ctx context.Context, l *listing, first C, fetch pageFunc[T, C]) iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) {
		cur := first
		for {
			items, resp, next, more, err := fetch(ctx, cur)
			if err != nil {
				var p *Page[T]
				if len(items) > 0 {
					p = &Page[T]{Items: items, Response: resp}
				}
				yield(p, err)
				return
			}
			p := &Page[T]{Items: items, Response: resp}
			if more && l != nil {
				p.Next = l.cursor(next)
			}
			if !yield(p, nil) || !more {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(nil, err)
				return
			}
			cur = next
		}
	}
}

// items flattens a page iterator into its items; an error is yielded once,
// last, after the items of its page.
func items[T any](seq iter.Seq2[*Page[T], error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for p, err := range seq {
			if p != nil {
				for _, it := range p.Items {
					if !yield(it, nil) {
						return
					}
				}
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
		}
	}
}

// paginate is the item iterator of a listing that cannot be resumed.
func paginate[T, C any](ctx context.Context, first C, fetch pageFunc[T, C]) iter.Seq2[T, error] {
	return items(pages(ctx, nil, first, fetch))
}

// listing names a resumable listing for its cursors: the method, the
// platform, and the options that shape its pages (a page size, a filter),
// so that a cursor resumes only the listing it came from.
type listing struct {
	op       string
	platform Platform
	filter   string
}

// cursorJSON is a cursor before its encoding: base64url of this JSON and
// its CRC-32, so that a cursor cut short or altered is refused rather than
// read as another position.
type cursorJSON struct {
	Op       string          `json:"o"`
	Platform Platform        `json:"p"`
	Filter   string          `json:"f"` // a digest of listing.filter
	At       json.RawMessage `json:"c"` // the platform's cursor
}

func (l *listing) digest() string {
	sum := sha256.Sum256([]byte(l.filter))
	return hex.EncodeToString(sum[:6])
}

// cursor encodes at, the platform's cursor of the next page.
func (l *listing) cursor(at any) string {
	raw, _ := json.Marshal(at) // ints, strings and historyWindow: never fails
	b, _ := json.Marshal(cursorJSON{Op: l.op, Platform: l.platform, Filter: l.digest(), At: raw})
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

// resume decodes cursor, a Page.Next of l given to op as its options'
// Cursor, into the platform's cursor: an *InputError when it is garbled,
// belongs to another listing, platform or set of options, or holds a
// position that valid refuses (one the listing never hands out).
func resume[C any](l *listing, op, cursor string, valid func(C) bool) (C, error) {
	const field = "Cursor"
	var at C
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 4 || crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		return at, inputErr(op, field, "is not a cursor of the SDK (garbled or cut short?); pass a Page.Next as it was")
	}
	var c cursorJSON
	if json.Unmarshal(b[:len(b)-4], &c) != nil {
		return at, inputErr(op, field, "is not a cursor of the SDK")
	}
	switch {
	case c.Op != l.op || c.Platform != l.platform:
		return at, inputErr(op, field, "is a cursor of %s on %s, not of %s on %s", c.Op, c.Platform, l.op, l.platform)
	case c.Filter != l.digest():
		return at, inputErr(op, field, "was made with other options (page size or filters); resume with the options of the listing it came from")
	}
	if json.Unmarshal(c.At, &at) != nil || !valid(at) {
		return at, inputErr(op, field, "is not a cursor of the SDK")
	}
	return at, nil
}
