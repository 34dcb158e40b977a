package loyalty

import (
	"context"
	"iter"
)

// pageFunc fetches the page at cursor cur and returns its items, the cursor
// of the next page, and whether there is one. The cursor is whatever the
// platform pages by: a page number (Yotpo), an opaque string (Influence.io)
// or a time window (Monterosa history).
type pageFunc[T, C any] func(ctx context.Context, cur C) (items []T, next C, more bool, err error)

// paginate turns a pageFunc into an iterator over all items, fetching pages
// lazily. Breaking out of the loop stops fetching; an error is yielded once,
// last, after any items its fetch returned with it.
func paginate[T, C any](ctx context.Context, first C, fetch pageFunc[T, C]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		cur := first
		for {
			items, next, more, err := fetch(ctx, cur)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			if !more {
				return
			}
			if err := ctx.Err(); err != nil {
				var zero T
				yield(zero, err)
				return
			}
			cur = next
		}
	}
}
